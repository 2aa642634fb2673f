using System.Security.Cryptography;
using Platform.Domain.Catalog.Paging;
using Platform.Domain.Catalog.Search;

namespace Platform.UnitTests.Catalog;

public sealed class CursorCodecTests
{
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(32);
    private static readonly Guid Org = Guid.NewGuid();

    [Fact]
    public void A_cursor_decodes_to_its_values_within_its_scope()
    {
        var codec = new CursorCodec([KeyA]);

        var token = codec.Encode("scope", ["1234.50", "abc"]);

        codec.Decode("scope", token, 2).ShouldBe(["1234.50", "abc"]);
    }

    [Fact]
    public void A_cursor_of_another_scope_or_value_count_is_refused()
    {
        var codec = new CursorCodec([KeyA]);
        var token = codec.Encode("scope", ["1", "2"]);

        codec.Decode("other scope", token, 2).ShouldBeNull();
        codec.Decode("scope", token, 3).ShouldBeNull();
    }

    [Fact]
    public void Changing_any_character_of_a_cursor_is_detected()
    {
        var codec = new CursorCodec([KeyA]);
        var token = codec.Encode("scope", ["1234.50", Guid.NewGuid().ToString("N")]);

        for (var i = 0; i < token.Length; i++)
        {
            var altered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            codec.Decode("scope", altered, 2).ShouldBeNull($"position {i}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.")]
    [InlineData(".abc")]
    [InlineData("a.b.c")]
    [InlineData("!!!!.????")]
    [InlineData("MQ.AAAA")]
    public void Garbage_is_refused_without_throwing(string token)
    {
        new CursorCodec([KeyA]).Decode("scope", token, 2).ShouldBeNull();
    }

    [Fact]
    public void An_overlong_token_is_refused_before_decoding()
    {
        new CursorCodec([KeyA]).Decode("scope", new string('A', CursorCodec.MaxTokenLength + 1), 2).ShouldBeNull();
    }

    [Fact]
    public void After_rotation_cursors_of_the_previous_key_still_decode_and_new_ones_use_the_new_key()
    {
        var old = new CursorCodec([KeyA]);
        var rotated = new CursorCodec([KeyB, KeyA]);
        var stranger = new CursorCodec([KeyB]);

        rotated.Decode("scope", old.Encode("scope", ["1"]), 1).ShouldBe(["1"]);
        old.Decode("scope", rotated.Encode("scope", ["1"]), 1).ShouldBeNull();
        stranger.Decode("scope", old.Encode("scope", ["1"]), 1).ShouldBeNull();
    }

    [Fact]
    public void Short_keys_are_refused()
    {
        Should.Throw<ArgumentException>(() => new CursorCodec([new byte[31]]));
        Should.Throw<ArgumentException>(() => new CursorCodec([]));
    }

    [Theory]
    [InlineData(DiamondSort.Price)]
    [InlineData(DiamondSort.Carats)]
    [InlineData(DiamondSort.CreatedAt)]
    [InlineData(DiamondSort.Color)]
    public void A_diamond_position_round_trips_exactly(DiamondSort sort)
    {
        var cursors = new DiamondCursor(new CursorCodec([KeyA]));
        var criteria = new DiamondSearchCriteria { Sort = sort, Shapes = ["ROUND"] };
        object key = sort switch
        {
            DiamondSort.Price => 1234.50m,
            DiamondSort.Carats => 0.07m,
            DiamondSort.CreatedAt => new DateTimeOffset(2025, 6, 1, 12, 30, 15, TimeSpan.Zero).AddTicks(1234560),
            _ => 4,
        };
        var position = new DiamondPosition(key, Guid.NewGuid());

        var decoded = cursors.Decode(Org, criteria, cursors.Encode(Org, criteria, position));

        decoded.ShouldBe(position);
    }

    [Fact]
    public void A_diamond_cursor_is_bound_to_the_organization_filters_and_sort_but_not_the_limit()
    {
        var cursors = new DiamondCursor(new CursorCodec([KeyA]));
        var criteria = new DiamondSearchCriteria { Sort = DiamondSort.Price, Descending = false, Colors = ["D"], Limit = 10 };
        var token = cursors.Encode(Org, criteria, new DiamondPosition(100m, Guid.NewGuid()));

        cursors.Decode(Org, criteria with { Limit = 99 }, token).ShouldNotBeNull();
        cursors.Decode(Guid.NewGuid(), criteria, token).ShouldBeNull();
        cursors.Decode(Org, criteria with { Colors = ["D", "E"] }, token).ShouldBeNull();
        cursors.Decode(Org, criteria with { Descending = true }, token).ShouldBeNull();
        cursors.Decode(Org, criteria with { Sort = DiamondSort.Carats }, token).ShouldBeNull();
        cursors.Decode(Org, criteria with { PriceMax = 5000m }, token).ShouldBeNull();
        cursors.Decode(Org, criteria with { LabGrown = false }, token).ShouldBeNull();
    }
}
