using Akka.Actor;
using Hean.Actors.Common;
using Hean.Core.Trading;
using Hean.Core.Domain;
using Hean.Core.Risk;
using static Hean.Actors.Instruments.InstrumentProtocol;

namespace Hean.Actors.Instruments;

/// <summary>
/// Parent of one <see cref="InstrumentActor"/> per symbol, created at the symbol's first market event (or its first signal). On one node
/// this is the child-per-entity parent; a cluster shards the same entities by symbol.
/// </summary>
public sealed class InstrumentsActor : ReceiveActor
{
    public InstrumentsActor(InstrumentCatalog catalog, InstrumentSettings settings,
        IActorRef portfolio, IActorRef orders, IActorRef risk, IActorRef execution, HeanTimeouts timeouts)
    {
        IActorRef? InstrumentOf(Symbol symbol)
        {
            if (!catalog.TryGet(symbol, out var instrument)) return null;
            var child = Context.Child(symbol.Value);
            return child.IsNobody()
                ? Context.ActorOf(Props.Create(() => new InstrumentActor(instrument, settings, portfolio, orders, risk, execution, timeouts)), symbol.Value)
                : child;
        }

        Receive<HandleSignal>(m =>
        {
            if (InstrumentOf(m.Signal.Symbol) is { } child) child.Forward(m);
            else Sender.Tell(new SignalHandled($"unknown symbol {m.Signal.Symbol}"));
        });
        Receive<PrepareInstrument>(m => InstrumentOf(m.Symbol));
        Receive<Sync>(_ => Sender.Tell(Synced.Instance));
    }
}
