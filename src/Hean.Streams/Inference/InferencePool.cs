using System.Collections.Concurrent;
using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;

namespace Hean.Streams.Inference;

/// <summary>
/// The dedicated scheduler of model inference: its own background threads, so a CPU-heavy or hung
/// model never runs on the graph's or the actors' threads. A worker that just finished spins briefly
/// for the next call before it sleeps, so under a steady flow of decisions a call starts without a
/// thread wake-up. A hung model holds one worker; the graph does not wait for it (the call times out
/// and is abandoned), a replacement worker starts so the fallback model still has a thread, and the
/// stuck worker retires when its call finally returns. At most <see cref="MaxThreads"/> threads exist;
/// beyond that, calls queue, time out, and the breaker stops sending work.
/// </summary>
public sealed class InferencePool : IDisposable
{
    private readonly ConcurrentQueue<PredictionCall> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Thread> _threads = new();
    private readonly long _spinTicks;
    private int _sleepers, _alive, _owed;

    public InferencePool(int threads, TimeSpan? spin = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _spinTicks = (long)((spin ?? TimeSpan.FromMicroseconds(50)).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        Threads = threads;
        MaxThreads = threads + 8;
        for (var i = 0; i < threads; i++) StartWorker();
    }

    /// <summary>Workers that take calls (stuck ones not counted once replaced).</summary>
    public int Threads { get; }

    public int MaxThreads { get; }

    /// <summary>Threads alive now, stuck ones included.</summary>
    public int Alive => Volatile.Read(ref _alive);

    private void StartWorker()
    {
        var n = Interlocked.Increment(ref _alive);
        var t = new Thread(Work) { IsBackground = true, Name = $"hean-ml-{n}" };
        _threads.Add(t);
        t.Start();
    }

    /// <summary>A call was abandoned while its worker runs it: start a replacement, within <see cref="MaxThreads"/>.</summary>
    internal void ReplaceStuckWorker()
    {
        if (_stop.IsCancellationRequested || Volatile.Read(ref _alive) >= MaxThreads) return;
        Interlocked.Increment(ref _owed);
        StartWorker();
    }

    /// <summary>A worker back from an abandoned call leaves if a replacement took its place.</summary>
    private bool Retire()
    {
        while (true)
        {
            var owed = Volatile.Read(ref _owed);
            if (owed == 0) return false;
            if (Interlocked.CompareExchange(ref _owed, owed - 1, owed) == owed) return true;
        }
    }

    internal void Submit(PredictionCall call)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        _queue.Enqueue(call);
        // Enqueue is a full fence; a worker registers as a sleeper before it looks at the queue a last time.
        if (Volatile.Read(ref _sleepers) > 0) _wake.Release();
    }

    private void Work()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            if (_queue.TryDequeue(out var call))
            {
                if (!call.Run() && Retire())
                {
                    Interlocked.Decrement(ref _alive);
                    return;
                }
                continue;
            }
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + _spinTicks;
            var found = false;
            // Spin with yields: on a busy machine the thread that will submit the next call may need this core.
            var spinner = new SpinWait();
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                if (!_queue.IsEmpty)
                {
                    found = true;
                    break;
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            if (found) continue;
            Interlocked.Increment(ref _sleepers);
            try
            {
                if (_queue.IsEmpty) _wake.Wait(token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
        Interlocked.Decrement(ref _alive);
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        // Workers are background threads: one stuck in a hung model does not keep the process alive.
        foreach (var t in _threads) t.Join(TimeSpan.FromMilliseconds(200));
        _stop.Dispose();
    }
}
