using System.Text.Json;

namespace Granary.Registry.Planning;

/// <summary>
/// Property-level differences between two canonical JSON objects, for readable plans. Lists of objects with a
/// <c>name</c> (a view's schema) are compared item by item, so a plan says "schema.ctr_7d.dtype: float32 -> float64"
/// rather than reprinting the list; other lists of objects (a stream view's aggregations) item by item by position.
/// </summary>
internal static class JsonDiff
{
    private const int MaxValueLength = 80;

    public static List<PropertyChange> Compare(string oldJson, string newJson)
    {
        using var oldDoc = JsonDocument.Parse(oldJson);
        using var newDoc = JsonDocument.Parse(newJson);
        var changes = new List<PropertyChange>();
        CompareObjects("", oldDoc.RootElement, newDoc.RootElement, changes);
        return changes;
    }

    private static void CompareObjects(string prefix, JsonElement oldObject, JsonElement newObject, List<PropertyChange> changes)
    {
        foreach (var property in newObject.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (!oldObject.TryGetProperty(property.Name, out var oldValue))
            {
                changes.Add(new PropertyChange(path, null, Short(property.Value)));
            }
            else
            {
                CompareValues(path, oldValue, property.Value, changes);
            }
        }

        foreach (var property in oldObject.EnumerateObject())
        {
            if (!newObject.TryGetProperty(property.Name, out _))
            {
                changes.Add(new PropertyChange(prefix + property.Name, Short(property.Value), null));
            }
        }
    }

    private static void CompareValues(string path, JsonElement oldValue, JsonElement newValue, List<PropertyChange> changes)
    {
        if (JsonElement.DeepEquals(oldValue, newValue))
        {
            return;
        }

        if (oldValue.ValueKind == JsonValueKind.Object && newValue.ValueKind == JsonValueKind.Object)
        {
            CompareObjects(path + ".", oldValue, newValue, changes);
        }
        else if (IsNamedList(oldValue) && IsNamedList(newValue))
        {
            CompareNamedLists(path, oldValue, newValue, changes);
        }
        else if (IsObjectList(oldValue) && IsObjectList(newValue))
        {
            ComparePositionally(path, oldValue, newValue, changes);
        }
        else
        {
            changes.Add(new PropertyChange(path, Short(oldValue), Short(newValue)));
        }
    }

    private static void CompareNamedLists(string path, JsonElement oldList, JsonElement newList, List<PropertyChange> changes)
    {
        var oldByName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in oldList.EnumerateArray())
        {
            oldByName[item.GetProperty("name").GetString()!] = item;
        }

        var newNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in newList.EnumerateArray())
        {
            var name = item.GetProperty("name").GetString()!;
            newNames.Add(name);
            if (oldByName.TryGetValue(name, out var oldItem))
            {
                CompareObjects($"{path}.{name}.", oldItem, item, changes);
            }
            else
            {
                changes.Add(new PropertyChange($"{path}.{name}", null, Short(item)));
            }
        }

        foreach (var (name, item) in oldByName)
        {
            if (!newNames.Contains(name))
            {
                changes.Add(new PropertyChange($"{path}.{name}", Short(item), null));
            }
        }
    }

    // Lists of objects without names (a stream view's aggregations and windows): item by item, by position.
    private static void ComparePositionally(string path, JsonElement oldList, JsonElement newList, List<PropertyChange> changes)
    {
        var oldCount = oldList.GetArrayLength();
        var newCount = newList.GetArrayLength();
        for (var i = 0; i < Math.Max(oldCount, newCount); i++)
        {
            var item = $"{path}[{i}]";
            if (i >= oldCount)
            {
                changes.Add(new PropertyChange(item, null, Short(newList[i])));
            }
            else if (i >= newCount)
            {
                changes.Add(new PropertyChange(item, Short(oldList[i]), null));
            }
            else
            {
                CompareValues(item, oldList[i], newList[i], changes);
            }
        }
    }

    private static bool IsObjectList(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNamedList(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }

    private static string Short(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return text.Length <= MaxValueLength ? text : string.Concat(text.AsSpan(0, MaxValueLength - 3), "...");
    }
}
