using System.Runtime.InteropServices;

namespace Hean.Host.Commands;

/// <summary>
/// While held, SIGINT (Ctrl+C) and SIGTERM cancel <see cref="Token"/> (and so does the token it was made from) instead of
/// ending the process: for a command that works on its own thread until it is done, which the command line library's
/// handler does not cover (it is set up only once an action returns its task). The work then ends itself ("cancelled").
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _interrupt, _terminate;

    public StopSignals(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _stop.Token;

    private void Stop(PosixSignalContext signal)
    {
        signal.Cancel = true;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The work had ended: a signal that came as it let go has nothing left to stop.
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
