using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using Granary.Core.Values;
using StackExchange.Redis;

namespace Granary.Online.Redis;

/// <summary>
/// Names the Redis keys of one project. A record lives at <c>gr:&lt;project&gt;:{&lt;entity&gt;}:&lt;view&gt;</c>, where
/// <c>&lt;entity&gt;</c> is the base64url (unpadded) of the canonical <see cref="EntityKey"/> bytes. The braces are a
/// Redis Cluster hash tag: only the entity decides the slot, so every view of one entity lives on one node and one MGET
/// reads them all. Watermarks live at <c>gr:{&lt;project&gt;}:watermark:&lt;view&gt;</c>, tagged by project so a
/// project's watermarks share a slot too. Stream views' aggregate states live at
/// <c>gs:&lt;project&gt;:{&lt;entity&gt;}:&lt;view&gt;</c> (the entity's slot again) and stream sources' lateness
/// watermarks at <c>gr:{&lt;project&gt;}:stream:&lt;source&gt;</c>.
/// </summary>
/// <remarks>
/// Redis takes the first <c>{...}</c> of a key as its tag, which is why the project may not contain a brace. The two
/// shapes cannot collide: after <c>gr:</c> a record key continues with the (non-empty, brace-free) project and a
/// watermark key with <c>{</c>. Base64url has no <c>}</c>, so the tag always ends where the entity ends.
/// </remarks>
internal sealed class RedisKeyLayout
{
    private readonly byte[] _recordPrefix;
    private readonly string _watermarkPrefix;
    private readonly byte[] _statePrefix;
    private readonly string _streamWatermarkPrefix;

    // View names are few and long-lived; caching their UTF-8 suffix keeps key building to one allocation.
    private readonly ConcurrentDictionary<string, byte[]> _viewSuffixes = new(StringComparer.Ordinal);

    public RedisKeyLayout(string project)
    {
        if (string.IsNullOrEmpty(project) || project.Contains('{', StringComparison.Ordinal) || project.Contains('}', StringComparison.Ordinal))
        {
            RedisErrors.ThrowInvalidProject(project);
        }

        Project = project;
        _recordPrefix = Encoding.UTF8.GetBytes($"gr:{project}:{{");
        _watermarkPrefix = $"gr:{{{project}}}:watermark:";
        _statePrefix = Encoding.UTF8.GetBytes($"gs:{project}:{{");
        _streamWatermarkPrefix = $"gr:{{{project}}}:stream:";
    }

    /// <summary>The project whose keys this layout names.</summary>
    public string Project { get; }

    /// <summary>The key of the record of <paramref name="entity"/> in <paramref name="view"/>.</summary>
    public RedisKey RecordKey(string view, EntityKey entity) => RecordKeyBytes(view, entity);

    /// <summary>The bytes of <see cref="RecordKey"/>, for a caller that also needs their length.</summary>
    public byte[] RecordKeyBytes(string view, EntityKey entity) => EntityKeyBytes(_recordPrefix, view, entity);

    /// <summary>
    /// The key of the aggregate state of <paramref name="entity"/> in stream view <paramref name="view"/>:
    /// <c>gs:&lt;project&gt;:{&lt;entity&gt;}:&lt;view&gt;</c>, in the entity's slot like its records.
    /// </summary>
    public RedisKey StateKey(string view, EntityKey entity) => EntityKeyBytes(_statePrefix, view, entity);

    /// <summary>The key of the lateness watermark of stream source <paramref name="source"/>.</summary>
    public RedisKey StreamWatermarkKey(string source) => _streamWatermarkPrefix + source;

    private byte[] EntityKeyBytes(byte[] prefix, string view, EntityKey entity)
    {
        var suffix = _viewSuffixes.GetOrAdd(view, static v => Encoding.UTF8.GetBytes("}:" + v));
        var entityBytes = entity.Bytes;
        var tagLength = Base64Url.GetEncodedLength(entityBytes.Length);
        var key = new byte[prefix.Length + tagLength + suffix.Length];
        prefix.CopyTo(key, 0);
        Base64Url.EncodeToUtf8(entityBytes, key.AsSpan(prefix.Length, tagLength));
        suffix.CopyTo(key, prefix.Length + tagLength);
        return key;
    }

    /// <summary>The key of the materialization watermark of <paramref name="view"/>.</summary>
    public RedisKey WatermarkKey(string view) => _watermarkPrefix + view;

    /// <summary>
    /// SCAN patterns matching every record key and every watermark key of the project, and no other project's: the
    /// prefixes end at a character (<c>{</c>, <c>:</c>) a project cannot contain, with glob characters escaped.
    /// </summary>
    public IReadOnlyList<string> ProjectPatterns() =>
        [Glob($"gr:{Project}:{{") + "*", Glob(_watermarkPrefix) + "*", Glob($"gs:{Project}:{{") + "*", Glob(_streamWatermarkPrefix) + "*"];

    private static string Glob(string literal)
    {
        var escaped = new StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
