using Hean.Core.MarketData;
using Xunit;

namespace Hean.Core.Tests.MarketData;

public sealed class ReadAheadTests
{
    [Theory]
    [InlineData(0, 4, 2)]
    [InlineData(1, 4, 2)]
    [InlineData(4, 4, 2)]
    [InlineData(4097, 16, 3)]
    [InlineData(100_000, 1024, 8)]
    public void Every_item_arrives_once_in_the_sources_order(int count, int batch, int depth)
    {
        var read = ReadAhead.OnThread(Enumerable.Range(0, count), batch, depth).ToList();
        Assert.Equal(Enumerable.Range(0, count), read);
    }

    [Fact]
    public void The_source_runs_on_another_thread_and_what_it_does_besides_yielding_is_done_by_the_end()
    {
        var consumer = Environment.CurrentManagedThreadId;
        int? reader = null;
        var seen = new List<int>();
        IEnumerable<int> Source()
        {
            reader = Environment.CurrentManagedThreadId;
            for (var i = 0; i < 5000; i++)
            {
                seen.Add(i);
                yield return i;
            }
        }

        var sum = 0L;
        foreach (var x in ReadAhead.OnThread(Source(), batch: 64, depth: 2)) sum += x;
        Assert.Equal(4999L * 5000 / 2, sum);
        Assert.NotEqual(consumer, reader);
        Assert.Equal(5000, seen.Count); // complete, and visible here, once the loop has ended
    }

    [Fact]
    public void A_failure_of_the_source_comes_after_every_item_before_it_with_its_own_type_and_message()
    {
        IEnumerable<int> Source()
        {
            for (var i = 0; i < 1000; i++) yield return i;
            throw new FormatException("line 1001: not a number");
        }

        var got = new List<int>();
        var e = Assert.Throws<FormatException>(() =>
        {
            foreach (var x in ReadAhead.OnThread(Source(), batch: 100, depth: 2)) got.Add(x);
        });
        Assert.Equal("line 1001: not a number", e.Message);
        Assert.Equal(Enumerable.Range(0, 1000), got);
        Assert.Contains(nameof(Source), e.StackTrace); // the reader's stack, not only the hand-over's
    }

    /// <summary>0, 1, 2, … for ever, counting what it yielded and saying when it was disposed.</summary>
    private sealed class Endless
    {
        private int _produced;
        public ManualResetEventSlim Disposed { get; } = new();
        public int Produced => Volatile.Read(ref _produced);

        public IEnumerable<int> Items()
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    Interlocked.Increment(ref _produced);
                    yield return i;
                }
            }
            finally
            {
                Disposed.Set();
            }
        }
    }

    [Fact]
    public void A_consumer_that_stops_early_stops_the_reader_which_disposes_the_source()
    {
        var source = new Endless();
        var first = ReadAhead.OnThread(source.Items(), batch: 10, depth: 2).Take(25).ToList();
        Assert.Equal(Enumerable.Range(0, 25), first);
        Assert.True(source.Disposed.IsSet, "the source is disposed before the consumer's Dispose returns");
        var after = source.Produced;
        Thread.Sleep(50);
        Assert.Equal(after, source.Produced); // and nothing reads on
        Assert.True(after <= 25 + 10 * (2 + 2), $"read {after} items ahead of 25: at most the batches in hand");
    }

    [Fact]
    public void A_started_read_ahead_reads_before_it_is_enumerated_and_hands_over_every_item_in_order()
    {
        var started = new ManualResetEventSlim();
        IEnumerable<int> Source()
        {
            started.Set();
            for (var i = 0; i < 10_000; i++) yield return i;
        }

        using var ahead = ReadAhead.BeginOnThread(Source(), batch: 64, depth: 3);
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the source runs before anyone asks for an item");
        Assert.Equal(Enumerable.Range(0, 10_000), ahead.ToList());
        Assert.Throws<InvalidOperationException>(() => ahead.GetEnumerator()); // read once
    }

    [Fact]
    public void A_started_read_ahead_disposed_unread_stops_its_reader_which_disposes_the_source()
    {
        var source = new Endless();
        var ahead = ReadAhead.BeginOnThread(source.Items(), batch: 10, depth: 2);
        SpinWait.SpinUntil(() => source.Produced >= 20, TimeSpan.FromSeconds(10)); // the queue is full
        ahead.Dispose();
        Assert.True(source.Disposed.IsSet, "the source is disposed before Dispose returns");
        var after = source.Produced;
        Thread.Sleep(50);
        Assert.Equal(after, source.Produced);
        Assert.Throws<ObjectDisposedException>(() => ahead.GetEnumerator());
        ahead.Dispose(); // twice is harmless
    }

    [Fact]
    public void A_started_read_ahead_fails_on_the_reading_thread_and_throws_after_the_items_before_it()
    {
        IEnumerable<int> Source()
        {
            for (var i = 0; i < 300; i++) yield return i;
            throw new FormatException("unknown format");
        }

        using var ahead = ReadAhead.BeginOnThread(Source(), batch: 100, depth: 2);
        var got = new List<int>();
        var e = Assert.Throws<FormatException>(() =>
        {
            foreach (var x in ahead) got.Add(x);
        });
        Assert.Equal("unknown format", e.Message);
        Assert.Equal(Enumerable.Range(0, 300), got);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => ReadAhead.Begin<int>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadAhead.BeginOnThread(new[] { 1 }, batch: 0));
        Assert.Throws<ArgumentNullException>(() => ReadAhead.Of<int>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadAhead.Of(new[] { 1 }, batch: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadAhead.Of(new[] { 1 }, depth: 0));
    }
}
