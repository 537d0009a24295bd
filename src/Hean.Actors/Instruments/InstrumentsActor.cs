using Akka.Actor;
using Hean.Actors.Common;
using Hean.Core.Trading;
using Hean.Core.Domain;
using Hean.Core.Risk;
using static Hean.Actors.Instruments.InstrumentProtocol;

namespace Hean.Actors.Instruments;

/// <summary>
/// Parent of one <see cref="InstrumentActor"/> per symbol, created on the first signal. On one node
/// this is the child-per-entity parent; a cluster shards the same entities by symbol.
/// </summary>
public sealed class InstrumentsActor : ReceiveActor
{
    public InstrumentsActor(InstrumentCatalog catalog, InstrumentSettings settings,
        IActorRef portfolio, IActorRef orders, IActorRef risk, IActorRef execution, HeanTimeouts timeouts)
    {
        Receive<HandleSignal>(m =>
        {
            var symbol = m.Signal.Symbol;
            if (!catalog.TryGet(symbol, out var instrument))
            {
                Sender.Tell(new SignalHandled($"unknown symbol {symbol}"));
                return;
            }
            var name = symbol.Value;
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(Props.Create(() => new InstrumentActor(instrument, settings,
                    portfolio, orders, risk, execution, timeouts)), name);
            child.Forward(m);
        });
        Receive<Sync>(_ => Sender.Tell(Synced.Instance));
    }
}
