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
        Check(source, batch, depth);
        return Environment.ProcessorCount < 2 ? source : OnThread(source, batch, depth);
    }

    /// <summary>Always on a thread of its own, whatever the machine.</summary>
    public static IEnumerable<T> OnThread<T>(IEnumerable<T> source, int batch = DefaultBatch, int depth = DefaultDepth)
    {
        Check(source, batch, depth);
        return Drain(() => new Reader<T>(source, batch, depth));
    }

    /// <summary>
    /// Like <see cref="Of{T}"/>, but the reader starts now, not at the first <c>MoveNext</c>: a command starts reading its
    /// file while it does other work (its settings, its components). The result is read once; disposing it unread stops
    /// the reader and disposes the source.
    /// </summary>
    public static Started<T> Begin<T>(IEnumerable<T> source, int batch = DefaultBatch, int depth = DefaultDepth)
    {
        Check(source, batch, depth);
        return Environment.ProcessorCount < 2 ? new Started<T>(source, null) : BeginOnThread(source, batch, depth);
    }

    /// <summary><see cref="Begin{T}"/> on a thread of its own, whatever the machine.</summary>
    public static Started<T> BeginOnThread<T>(IEnumerable<T> source, int batch = DefaultBatch, int depth = DefaultDepth)
    {
        Check(source, batch, depth);
        return new Started<T>(null, new Reader<T>(source, batch, depth));
    }

    private static void Check<T>(IEnumerable<T> source, int batch, int depth)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
    }

    /// <summary>A read-ahead already reading (or, on one core, the source as it is): enumerated once, or disposed.</summary>
    public sealed class Started<T> : IEnumerable<T>, IDisposable
    {
        private IEnumerable<T>? _inline;
        private Reader<T>? _reader;
        private int _taken;

        internal Started(IEnumerable<T>? inline, Reader<T>? reader)
        {
            _inline = inline;
            _reader = reader;
        }

        public IEnumerator<T> GetEnumerator()
        {
            if (Interlocked.Exchange(ref _taken, 1) != 0)
                throw new InvalidOperationException("a started read-ahead is read once");
            if (_inline is { } inline) return inline.GetEnumerator();
            // The enumeration owns the reader now, and disposes it at its end.
            var reader = Interlocked.Exchange(ref _reader, null) ?? throw new ObjectDisposedException(nameof(Started<T>));
            return Drain(() => reader).GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Stops the reader if nobody took it; an enumeration in progress is disposed by its own end.</summary>
        public void Dispose()
        {
            _inline = null;
            Interlocked.Exchange(ref _reader, null)?.Dispose();
        }
    }

    private static IEnumerable<T> Drain<T>(Func<Reader<T>> start)
    {
        using var reader = start();
        while (reader.Next() is { } chunk)
        {
            for (var i = 0; i < chunk.Count; i++) yield return chunk.Items[i];
            reader.Return(chunk.Items);
        }
    }

    // A class: collections of it share the code precompiled for reference types (a struct would be compiled at run time).
    internal sealed record Chunk<T>(T[] Items, int Count);

    internal sealed class Reader<T> : IDisposable
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
