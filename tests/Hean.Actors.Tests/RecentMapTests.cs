using Hean.Actors.Common;
using Xunit;

namespace Hean.Actors.Tests;

public sealed class RecentMapTests
{
    [Fact]
    public void Keeps_the_last_keys_up_to_its_capacity_and_forgets_the_oldest_first()
    {
        var map = new RecentMap<string, int>(3);
        foreach (var (key, value) in new[] { ("a", 1), ("b", 2), ("c", 3) }) map.Set(key, value);
        map.Set("a", 10); // known: a new value, the same place in line
        Assert.Equal(3, map.Count);
        map.Set("d", 4);
        Assert.False(map.TryGet("a", out _)); // the oldest, although set again
        Assert.Equal(3, map.Count);
        Assert.True(map.TryGet("b", out var b) && b == 2);
        Assert.True(map.TryGet("d", out var d) && d == 4);
        for (var i = 0; i < 1000; i++) map.Set($"k{i}", i);
        Assert.Equal(3, map.Count);
        Assert.True(map.TryGet("k999", out var last) && last == 999);
        Assert.False(map.TryGet("k996", out _));
    }

    [Fact]
    public void A_capacity_below_one_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => new RecentMap<string, int>(0));
}
