using System.Text;
using System.Text.Json;

namespace Platform.Infrastructure.Messaging.Postgres;

/// <summary>
/// Reads the flat <c>headers</c> object of a claimed row. A reader rather than the serializer, because every claimed
/// message goes through here and the object holds two or three short strings.
/// </summary>
internal static class MessageHeaderJson
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(0, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Parse(string json)
    {
        if (json.Length <= 2)
        {
            return Empty;
        }
        var headers = new Dictionary<string, string>(4, StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read(); // StartObject
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                headers[name] = reader.GetString()!;
            }
            else
            {
                // Only strings are written; skip anything else a future producer might add.
                reader.Skip();
            }
        }
        return headers;
    }
}
