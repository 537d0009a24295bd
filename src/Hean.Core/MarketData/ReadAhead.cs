using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Hean.Core.MarketData;

/// <summary>
/// A sequence read on a thread of its own, a few batches ahead of the one that consumes it: a backtest's file is
/// decompressed and parsed (or its synthetic market generated) on one core while the kernel runs on the other. The consumer
/// sees exactly the source's items in the source's order, so a run is as deterministic as without it. A failure of the
/// source is thrown to the consumer after every item before it, as the source would have thrown it; a consumer that stops
/// early stops the reader, which disposes the source on its own thread. Whatever the source does besides yielding (filling
/// a list of the symbols it saw, tracking prices) is done before the consumer's last <c>MoveNext</c> returns false.
/// </summary>
public static class ReadAhead
{
    /// <summary>Items per batch handed over: large enough that the hand-over costs nothing per item.</summary>
    public const int DefaultBatch = 1024;

    /// <summary>Batches read ahead at most (the memory held: this many batches of items).</summary>
    public const int DefaultDepth = 8;

    /// <summary>
    /// <paramref name="source"/> read ahead on its own thread, or as it is on a machine with one core (nothing to overlap).
    /// </summary>
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batch = DefaultBatch, int depth = DefaultDepth)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        return Environment.ProcessorCount < 2 ? source : OnThread(source, batch, depth);
    }

    /// <summary>Always on a thread of its own, whatever the machine.</summary>
    public static IEnumerable<T> OnThread<T>(IEnumerable<T> source, int batch = DefaultBatch, int depth = DefaultDepth)
    {
        using var reader = new Reader<T>(source, batch, depth);
        while (reader.Next() is { } chunk)
        {
            for (var i = 0; i < chunk.Count; i++) yield return chunk.Items[i];
            reader.Return(chunk.Items);
        }
    }

    private readonly record struct Chunk<T>(T[] Items, int Count);

    private sealed class Reader<T> : IDisposable
    {
        private readonly BlockingCollection<Chunk<T>> _full;
        private readonly ConcurrentBag<T[]> _free = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private readonly int _batch;
        private ExceptionDispatchInfo? _failure;

        public Reader(IEnumerable<T> source, int batch, int depth)
        {
            _batch = batch;
            _full = new BlockingCollection<Chunk<T>>(depth);
            _thread = new Thread(() => Run(source)) { IsBackground = true, Name = "hean-read-ahead" };
            _thread.Start();
        }

        private void Run(IEnumerable<T> source)
        {
            try
            {
                using var e = source.GetEnumerator();
                var items = Rent();
                var n = 0;
                while (e.MoveNext())
                {
                    items[n++] = e.Current;
                    if (n < items.Length) continue;
                    _full.Add(new Chunk<T>(items, n), _stop.Token);
                    items = Rent();
                    n = 0;
                }
                if (n > 0) _full.Add(new Chunk<T>(items, n), _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The consumer stopped: nothing more to hand over.
            }
            catch (Exception failure)
            {
                _failure = ExceptionDispatchInfo.Capture(failure); // published by CompleteAdding below
            }
            finally
            {
                _full.CompleteAdding();
            }
        }

        private T[] Rent() => _free.TryTake(out var items) ? items : new T[_batch];

        /// <summary>The next batch, or null at the end; the source's failure once every batch before it was taken.</summary>
        public Chunk<T>? Next()
        {
            if (_full.TryTake(out var chunk, Timeout.Infinite)) return chunk;
            _failure?.Throw();
            return null;
        }

        /// <summary>A batch consumed: cleared (no item kept alive by it) and read into again.</summary>
        public void Return(T[] items)
        {
            if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>()) Array.Clear(items);
            _free.Add(items);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
            _full.Dispose();
            _stop.Dispose();
        }
    }
}
