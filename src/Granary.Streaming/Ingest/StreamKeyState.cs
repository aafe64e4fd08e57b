using Granary.Streaming.Aggregation;
using Granary.Streaming.Events;

namespace Granary.Streaming.Ingest;

/// <summary>
/// What the online store keeps for one entity key of a stream view, in one record so that one compare-and-set covers
/// all of it: the key's <see cref="KeyAggregates"/> and, when the view names an <c>event_id_field</c>, the ids of the
/// events it counted with their event times. An id is kept while its event time is within the id horizon (the largest
/// finite window plus the allowed lateness) of the key's newest event: a repeat of an older one is later than the
/// allowed lateness and rejected as late anyway, so the set is bounded by the events of that horizon, not by all time.
/// </summary>
internal sealed class StreamKeyState
{
    /// <summary>The stored form's version; a change of form is a new number, never a silent reinterpretation.</summary>
    private const byte FormVersion = 1;

    private readonly Dictionary<string, long> _ids;

    private StreamKeyState(KeyAggregates aggregates, Dictionary<string, long> ids)
    {
        Aggregates = aggregates;
        _ids = ids;
    }

    public KeyAggregates Aggregates { get; }

    /// <summary>Event ids remembered: what the key costs beside its tiles.</summary>
    public int IdCount => _ids.Count;

    public static StreamKeyState Empty(AggregationPlan plan) => new(new KeyAggregates(plan), new Dictionary<string, long>(StringComparer.Ordinal));

    /// <summary>Counts <paramref name="e"/> unless its id was counted before; returns whether it was counted.</summary>
    public bool Apply(in StreamEvent e)
    {
        if (e.EventId is { } id)
        {
            if (_ids.ContainsKey(id))
            {
                return false;
            }

            _ids[id] = e.EventMicros;
        }

        Aggregates.Apply(e.Columns, e.EventMicros);
        return true;
    }

    public byte[] Write()
    {
        var output = StateScratch.Rent(StateScratch.State);
        var writer = new StateWriter(output);
        var aggregates = StateScratch.Rent(StateScratch.Aggregates);
        Aggregates.Write(new StateWriter(aggregates));
        writer.WriteByte(FormVersion);
        writer.WriteBytes(aggregates.WrittenSpan);
        writer.WriteLength(_ids.Count);
        foreach (var (id, micros) in _ids)
        {
            writer.WriteInt64(micros);
            writer.WriteText(id);
        }

        // The one allocation: the stored array, which the store keeps.
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The full state, ids included: what the ingestor updates.</summary>
    public static StreamKeyState Read(ReadOnlySpan<byte> stored, AggregationPlan plan)
    {
        var reader = new StateReader(stored);
        CheckVersion(reader.ReadByte());
        var aggregates = KeyAggregates.Read(reader.ReadBytes(), plan);
        var count = reader.ReadLength();
        var ids = new Dictionary<string, long>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var micros = reader.ReadInt64();
            ids[System.Text.Encoding.UTF8.GetString(reader.ReadBytes())] = micros;
        }

        if (!reader.AtEnd)
        {
            throw new FormatException("A stored stream key state has bytes after its end.");
        }

        return new StreamKeyState(aggregates, ids);
    }

    /// <summary>Only the aggregates, the ids left unread: what serving needs.</summary>
    public static KeyAggregates ReadAggregates(ReadOnlySpan<byte> stored, AggregationPlan plan)
    {
        var reader = new StateReader(stored);
        CheckVersion(reader.ReadByte());
        return KeyAggregates.Read(reader.ReadBytes(), plan);
    }

    private static void CheckVersion(byte version)
    {
        if (version != FormVersion)
        {
            throw new FormatException($"A stored stream key state has form version {version}; this version of Granary reads {FormVersion}.");
        }
    }

    /// <summary>Forgets the ids of events more than <paramref name="idHorizonMicros"/> older than the newest event.</summary>
    public void ForgetIdsOutside(long idHorizonMicros)
    {
        if (_ids.Count == 0)
        {
            return;
        }

        var micros = Aggregates.NewestEventMicros - idHorizonMicros;
        List<string>? old = null;
        foreach (var (id, at) in _ids)
        {
            if (at < micros)
            {
                (old ??= []).Add(id);
            }
        }

        if (old is not null)
        {
            foreach (var id in old)
            {
                _ids.Remove(id);
            }
        }
    }
}
