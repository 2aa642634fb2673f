using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.UnitTests.Deployment;

/// <summary>
/// Evaluates the part of the ARM template expression language that Bicep emits for literal structures
/// (<c>createArray</c>, <c>createObject</c>, <c>concat</c>, strings, integers), so the tests can read a module's
/// parameters as JSON. Every other function call (<c>reference</c>, <c>parameters</c>, <c>format</c>, …) stays
/// opaque: it evaluates to its own source text prefixed with <c>=</c>, e.g. <c>=reference('secrets').outputs.x.value</c>.
/// In a nested module, <c>parameters('x')</c> as a whole value evaluates to what the enclosing template passes as x
/// (given as <c>parameters</c>), so a value reads the same however deep the module sits.
/// </summary>
public static class ArmExpression
{
    /// <summary>A JSON value from a template, depth first: strings in brackets are expressions, anything else is literal.</summary>
    public static JsonNode? Evaluate(JsonNode? value, JsonObject? parameters = null) => value switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Evaluate(p.Value, parameters)))),
        JsonArray a => new JsonArray([.. a.Select(e => Evaluate(e, parameters))]),
        JsonValue v when v.TryGetValue<string>(out var text) && text.StartsWith('[') && !text.StartsWith("[[", StringComparison.Ordinal) => Parse(text[1..^1], parameters),
        _ => value?.DeepClone(),
    };

    public static JsonNode? Parse(string expression, JsonObject? parameters = null)
    {
        var parser = new Parser(expression, parameters);
        var result = parser.ParseExpression();
        parser.ExpectEnd();
        return result;
    }

    /// <summary>True when the value is an opaque expression (see the class remarks).</summary>
    public static bool IsOpaque(JsonNode? node, out string source)
    {
        source = node is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith('=') ? s[1..] : "";
        return source.Length > 0;
    }

    private sealed class Parser(string text, JsonObject? parameters)
    {
        private int _position;

        public void ExpectEnd()
        {
            SkipSpace();
            if (_position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[_position..]}' in ARM expression '{text}'.");
            }
        }

        public JsonNode? ParseExpression()
        {
            SkipSpace();
            if (Peek() == '\'')
            {
                return JsonValue.Create(ParseString());
            }
            if (char.IsDigit(Peek()) || Peek() == '-')
            {
                var start = _position++;
                while (_position < text.Length && char.IsDigit(text[_position]))
                {
                    _position++;
                }
                return JsonValue.Create(long.Parse(text[start.._position], CultureInfo.InvariantCulture));
            }
            return ParseCall();
        }

        private JsonNode? ParseCall()
        {
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }
            var name = text[start.._position];
            Expect('(');
            var args = new List<JsonNode?>();
            SkipSpace();
            if (Peek() != ')')
            {
                args.Add(ParseExpression());
                SkipSpace();
                while (Peek() == ',')
                {
                    _position++;
                    args.Add(ParseExpression());
                    SkipSpace();
                }
            }
            Expect(')');
            var accessed = SkipAccessors();
            if (accessed)
            {
                return JsonValue.Create("=" + text[start.._position]);
            }
            return name switch
            {
                "createArray" => new JsonArray([.. args]),
                "createObject" => CreateObject(args),
                "concat" when args.All(a => a is JsonArray) => new JsonArray([.. args.SelectMany(a => a!.AsArray().Select(e => e?.DeepClone()))]),
                "concat" when args.All(a => a is JsonValue && !IsOpaque(a, out _)) => JsonValue.Create(string.Concat(args.Select(a => a!.GetValue<object>().ToString()))),
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                "null" => null,
                "parameters" when parameters is not null && args is [JsonValue p] && p.TryGetValue<string>(out var parameter) && parameters.ContainsKey(parameter) =>
                    parameters[parameter]?.DeepClone(),
                _ => JsonValue.Create("=" + text[start.._position]),
            };
        }

        private static JsonObject CreateObject(List<JsonNode?> args)
        {
            var result = new JsonObject();
            for (var i = 0; i + 1 < args.Count; i += 2)
            {
                result[args[i]!.GetValue<string>()] = args[i + 1];
            }
            return result;
        }

        // Property and index accessors after a call (reference('x').outputs.y.value, variables('v')[0]).
        private bool SkipAccessors()
        {
            var any = false;
            while (_position < text.Length)
            {
                if (text[_position] == '.')
                {
                    _position++;
                    while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
                    {
                        _position++;
                    }
                    any = true;
                }
                else if (text[_position] == '[')
                {
                    _position++;
                    ParseExpression();
                    Expect(']');
                    any = true;
                }
                else
                {
                    break;
                }
            }
            return any;
        }

        private string ParseString()
        {
            Expect('\'');
            var result = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw new FormatException($"Unterminated string in ARM expression '{text}'.");
                }
                var c = text[_position++];
                if (c == '\'')
                {
                    if (_position < text.Length && text[_position] == '\'')
                    {
                        result.Append('\'');
                        _position++;
                        continue;
                    }
                    return result.ToString();
                }
                result.Append(c);
            }
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c)
            {
                throw new FormatException($"Expected '{c}' at {_position} in ARM expression '{text}'.");
            }
            _position++;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < text.Length && text[_position] == ' ')
            {
                _position++;
            }
        }
    }
}
