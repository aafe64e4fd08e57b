using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Streaming.Events;

namespace Granary.Streaming.Sources;

/// <summary>
/// Turns a source's message into a <see cref="StreamEvent"/> of one stream view. A Redis entry's field/value pairs
/// are the columns, each text read by <see cref="EventValueText"/>; an entry whose only field is <c>json</c>, and a
/// NATS body, is a JSON object read by <see cref="EventValueJson"/> with a <see cref="Utf8JsonReader"/>. Fields the
/// view does not use are ignored; a column that is absent is null; the join keys and the event time are required,
/// and so is the id when the view names an <c>event_id_field</c>. Without one, the event's id is the message's own
/// source id, so a redelivered message is recognisable downstream as the same event.
/// </summary>
/// <remarks>One decoder per consumer loop: it reuses its buffers between messages and is not thread-safe.</remarks>
internal sealed class StreamEventDecoder
{
    /// <summary>The one field of a Redis entry that holds the whole event as a JSON object.</summary>
    public const string JsonField = "json";

    private const string BodyField = "(body)";

    private readonly StreamEventShape _shape;
    private readonly Slot[] _slots;
    private readonly Dictionary<string, int> _slotOf;
    private readonly FeatureValue[] _keyParts;
    private readonly bool[] _seen;
    private FeatureValue[] _columns = [];
    private long? _eventMicros;
    private string? _eventId;

    public StreamEventDecoder(StreamEventShape shape)
    {
        _shape = shape ?? throw new ArgumentNullException(nameof(shape));
        var slots = new List<Slot>();
        _slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < shape.JoinKeys.Count; k++)
        {
            SlotFor(shape.JoinKeys[k].Name, slots).Key = k;
        }

        SlotFor(shape.TimestampField, slots).Timestamp = true;
        for (var c = 0; c < shape.Columns.Count; c++)
        {
            SlotFor(shape.Columns[c].Name, slots).Column = c;
        }

        if (shape.EventIdField is { } idField)
        {
            SlotFor(idField, slots).EventId = true;
        }

        _slots = [.. slots];
        _keyParts = new FeatureValue[shape.JoinKeys.Count];
        _seen = new bool[_slots.Length];
    }

    public StreamEventShape Shape => _shape;

    /// <summary>The event of <paramref name="message"/>, or false with what is malformed in it.</summary>
    public bool TryDecode(in SourceMessage message, out StreamEvent decoded, out MalformedMessage malformed)
    {
        decoded = default;
        Array.Clear(_seen);
        _eventMicros = null;
        _eventId = null;
        _columns = new FeatureValue[_shape.Columns.Count];
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c] = FeatureValue.Null(_shape.Columns[c].Type);
        }

        var fields = message.Fields;
        var failure = fields.Count == 1 && fields[0].Key == JsonField
            ? ReadJson(Encoding.UTF8.GetBytes(fields[0].Value), JsonField + ".", JsonField)
            : fields.Count > 0 ? ReadFields(fields) : ReadJson(message.Body.Span, "", BodyField);
        failure ??= Missing();
        if (failure is { } found)
        {
            malformed = found;
            return false;
        }

        decoded = new StreamEvent(EntityKey.Create(_keyParts), _eventMicros!.Value, _columns, _shape.EventIdField is null ? message.Id : _eventId);
        malformed = default;
        return true;
    }

    private MalformedMessage? ReadFields(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        foreach (var (name, text) in fields)
        {
            if (!_slotOf.TryGetValue(name, out var s))
            {
                continue;
            }

            if (_seen[s])
            {
                return new MalformedMessage(name, "appears twice in the entry");
            }

            _seen[s] = true;
            var slot = _slots[s];
            if (slot.EventId)
            {
                _eventId = text;
            }

            if (slot.Timestamp && Assign(slot, EventValueText.Parse(text, FeatureType.UnixTimestamp, out var error), error, name) is { } badTime)
            {
                return badTime;
            }

            if (slot.Key >= 0 && Assign(slot, EventValueText.Parse(text, _shape.JoinKeys[slot.Key].Type, out error), error, name, slot.Key) is { } badKey)
            {
                return badKey;
            }

            if (slot.Column >= 0 && AssignColumn(slot, EventValueText.Parse(text, _shape.Columns[slot.Column].Type, out error), error, name) is { } badColumn)
            {
                return badColumn;
            }
        }

        return null;
    }

    private MalformedMessage? ReadJson(ReadOnlySpan<byte> json, string prefix, string whole)
    {
        if (json.IsEmpty)
        {
            return new MalformedMessage(whole, "is empty; expected a JSON object");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new MalformedMessage(whole, "is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var s = Find(ref reader);
                reader.Read();
                if (s < 0)
                {
                    reader.Skip();
                    continue;
                }

                var slot = _slots[s];
                if (_seen[s])
                {
                    return new MalformedMessage(prefix + slot.Name, "appears twice in the object");
                }

                _seen[s] = true;
                if (ReadJsonValue(ref reader, slot, prefix + slot.Name) is { } bad)
                {
                    return bad;
                }

                // A scalar is one token; an object or array was refused above, so the reader is at the value's end.
            }

            // Trailing content after the object fails here, as the reader allows one value only.
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            return new MalformedMessage(whole, $"is not valid JSON: {e.Message}");
        }
    }

    private MalformedMessage? ReadJsonValue(ref Utf8JsonReader reader, Slot slot, string field)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return new MalformedMessage(field, $"is {EventValueJson.Raw(ref reader)}; expected a single value");
        }

        if (slot.EventId)
        {
            _eventId = EventValueJson.ReadId(ref reader, out var idError);
            if (reader.TokenType != JsonTokenType.Null && _eventId is null)
            {
                return new MalformedMessage(field, idError!);
            }
        }

        string? error;
        if (slot.Timestamp && Assign(slot, EventValueJson.Read(ref reader, FeatureType.UnixTimestamp, out error), error, field) is { } badTime)
        {
            return badTime;
        }

        if (slot.Key >= 0 && Assign(slot, EventValueJson.Read(ref reader, _shape.JoinKeys[slot.Key].Type, out error), error, field, slot.Key) is { } badKey)
        {
            return badKey;
        }

        return slot.Column >= 0 ? AssignColumn(slot, EventValueJson.Read(ref reader, _shape.Columns[slot.Column].Type, out error), error, field) : null;
    }

    // The join key or the event time: required, so a null is as malformed as a wrong type.
    private MalformedMessage? Assign(Slot slot, FeatureValue? value, string? error, string field, int key = -1)
    {
        if (value is not { } parsed)
        {
            return new MalformedMessage(field, error!);
        }

        if (parsed.IsNull)
        {
            return new MalformedMessage(field, key >= 0 ? "is null; every event needs its join keys" : "is null; every event needs its event time");
        }

        if (key >= 0)
        {
            _keyParts[key] = parsed;
        }
        else
        {
            _eventMicros = parsed.AsTimestampMicros();
        }

        return null;
    }

    private MalformedMessage? AssignColumn(Slot slot, FeatureValue? value, string? error, string field)
    {
        if (value is not { } parsed)
        {
            return new MalformedMessage(field, error!);
        }

        _columns[slot.Column] = parsed;
        return null;
    }

    private MalformedMessage? Missing()
    {
        for (var k = 0; k < _keyParts.Length; k++)
        {
            if (!_seen[_slotOf[_shape.JoinKeys[k].Name]])
            {
                return new MalformedMessage(_shape.JoinKeys[k].Name, $"is missing; every event of '{_shape.ViewName}' needs its join keys");
            }
        }

        if (_eventMicros is null)
        {
            return new MalformedMessage(_shape.TimestampField, $"is missing; every event of '{_shape.ViewName}' needs its event time");
        }

        if (_shape.EventIdField is { } idField && string.IsNullOrEmpty(_eventId))
        {
            return new MalformedMessage(idField, $"is missing or empty; '{_shape.ViewName}' counts each event id once, so every event needs one");
        }

        return null;
    }

    // A handful of names: a linear scan over their UTF-8 bytes beats hashing the property name, and allocates nothing.
    private int Find(ref Utf8JsonReader reader)
    {
        for (var s = 0; s < _slots.Length; s++)
        {
            if (reader.ValueTextEquals(_slots[s].Utf8Name))
            {
                return s;
            }
        }

        return -1;
    }

    private Slot SlotFor(string name, List<Slot> slots)
    {
        if (!_slotOf.TryGetValue(name, out var index))
        {
            index = slots.Count;
            slots.Add(new Slot(name));
            _slotOf[name] = index;
        }

        return slots[index];
    }

    /// <summary>One field name of the message and every role it plays (a join key may also be a column).</summary>
    private sealed class Slot(string name)
    {
        public string Name { get; } = name;

        public byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(name);

        public int Key { get; set; } = -1;

        public int Column { get; set; } = -1;

        public bool Timestamp { get; set; }

        public bool EventId { get; set; }
    }
}
