using System.Buffers;
using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Infrastructure.Catalog.Caching;

/// <summary>
/// A cached answer held as the UTF-8 JSON the api writes for it, so a hit is copied to the response as it is instead of
/// being serialized again (ADR 0039). Immutable, so the in-process level hands out the instance rather than a copy.
/// </summary>
[ImmutableObject(true)]
public sealed class CachedJson(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    public static CachedJson Of<T>(T value, JsonSerializerOptions options) => new(JsonSerializer.SerializeToUtf8Bytes(value, options));
}

/// <summary>The Redis level keeps the bytes themselves; the default serializer would write the array as base64 inside JSON.</summary>
internal sealed class CachedJsonSerializer : IHybridCacheSerializer<CachedJson>
{
    public CachedJson Deserialize(ReadOnlySequence<byte> source) => new(source.ToArray());

    public void Serialize(CachedJson value, IBufferWriter<byte> target) => target.Write(value.Utf8.Span);
}
