using Hean.Core.Signals;

namespace Hean.Actors.Instruments;

public static class InstrumentProtocol
{
    /// <summary>
    /// A strategy signal with the touch at that moment. Answer: <see cref="SignalHandled"/> when the order (if any) is with
    /// the venue. <paramref name="SignalAt"/>: the <see cref="System.Diagnostics.Stopwatch"/> timestamp at which the signal was
    /// made, carried to the gateway for signal_to_order.
    /// </summary>
    public sealed record HandleSignal(Signal Signal, decimal? BestBid, decimal? BestAsk, long? SignalAt = null);

    public sealed record SignalHandled(string Outcome);

    /// <summary>
    /// The market feed saw the symbol's first event: its instrument starts now (and recovers its journal), not at its
    /// first signal, which would otherwise wait for that. No answer.
    /// </summary>
    public sealed record PrepareInstrument(Hean.Core.Domain.Symbol Symbol);
}
