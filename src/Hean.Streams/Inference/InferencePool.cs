using System.Collections.Concurrent;

namespace Hean.Streams.Inference;

/// <summary>
/// The dedicated scheduler of model inference: its own background threads, so a CPU-heavy or hung
/// model never runs on the graph's or the actors' threads. A worker that just finished spins briefly
/// for the next call before it sleeps, so under a steady flow of decisions a call starts without a
/// thread wake-up. A hung model holds one worker; the graph does not wait for it (the call times out
/// and is abandoned), and the breaker stops sending it work.
/// </summary>
public sealed class InferencePool : IDisposable
{
    private readonly ConcurrentQueue<PredictionCall> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _threads;
    private readonly long _spinTicks;
    private int _sleepers;

    public InferencePool(int threads, TimeSpan? spin = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _spinTicks = (long)((spin ?? TimeSpan.FromMicroseconds(50)).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"hean-ml-{i}" };
            _threads[i].Start();
        }
    }

    public int Threads => _threads.Length;

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
                call.Run();
                continue;
            }
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + _spinTicks;
            var found = false;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                if (!_queue.IsEmpty)
                {
                    found = true;
                    break;
                }
                Thread.SpinWait(20);
            }
            if (found) continue;
            Interlocked.Increment(ref _sleepers);
            try
            {
                if (_queue.IsEmpty) _wake.Wait(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        // Workers are background threads: one stuck in a hung model does not keep the process alive.
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(1));
        _stop.Dispose();
    }
}
