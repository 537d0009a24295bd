using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Xunit;

namespace Hean.Actors.Tests.Migration;

/// <summary>
/// The migration's stream reader on the SQLite journal: a stream of any length is read to its end while entries keep
/// coming (the limit is on a silence, not on the whole read, so a large old journal is never cut off midway), and a read
/// that stops giving entries fails with the stream's name.
/// </summary>
public sealed class JournalStreamsTests() : HeanActorTest(PersistenceBackend.Sqlite)
{
    private async Task Write(string id, int entries)
    {
        var events = Enumerable.Range(0, entries).Select(i => (object)new OrdersProtocol.OrderEntityStarted(new Symbol($"S{i}USDT"))).ToList();
        var written = await JournalStreams.Run(Sys, id, null, (_, _) => events, TimeSpan.FromSeconds(20));
        Assert.True(written.Written);
    }

    [Fact]
    public async Task A_read_longer_than_the_limit_completes_while_entries_keep_coming()
    {
        await Write("slow-but-steady", 30);
        var seen = 0;
        // 30 entries at 50 ms each: 1.5 s in all, never 0.5 s without one.
        var read = await JournalStreams.Run(Sys, "slow-but-steady", _ =>
        {
            Thread.Sleep(50);
            seen++;
        }, null, TimeSpan.FromMilliseconds(500));
        Assert.Equal((30L, 30), (read.LastSequenceNr, seen));
    }

    [Fact]
    public async Task A_read_that_stops_giving_entries_fails_with_the_streams_name()
    {
        await Write("stalls", 5);
        var first = true;
        var e = await Assert.ThrowsAsync<TimeoutException>(() => JournalStreams.Run(Sys, "stalls", _ =>
        {
            if (first) Thread.Sleep(1_500); // the journal stalls once, for longer than the limit
            first = false;
        }, null, TimeSpan.FromMilliseconds(400)));
        Assert.Contains("'stalls'", e.Message);
    }
}
