using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Actors.Feed;
using Hean.Actors.Orchestration;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Strategy;
using Hean.Core.Time;
using Hean.Host.Configuration;
using Hean.Streams.MarketData;

namespace Hean.Host.Hosting;

/// <summary>One run of the market-data graph into the actors: materialized, stoppable, awaitable.</summary>
public sealed class TradingSession
{
    private TradingSession(IActorRef feed, UniqueKillSwitch killSwitch, MarketProcessor processor, Task<FeedProtocol.FeedStatus> completion)
    {
        Feed = feed;
        KillSwitch = killSwitch;
        Processor = processor;
        Completion = completion;
    }

    public IActorRef Feed { get; }
    public UniqueKillSwitch KillSwitch { get; }
    public MarketProcessor Processor { get; }

    /// <summary>Completes when the source is exhausted (or stopped) and the final checkpoint is done.</summary>
    public Task<FeedProtocol.FeedStatus> Completion { get; }

    /// <summary>The EMA-cross strategy per symbol with the operator's periods (EMA_FAST, EMA_SLOW).</summary>
    public static Func<Symbol, IStrategy> Strategies(EmaCrossPeriods ema) => s => new EmaCrossStrategy(s, ema.Fast, ema.Slow);

    public static async Task<TradingSession> StartAsync(ActorSystem system, IActorRef orchestrator,
        Source<IMarketEvent, NotUsed> source, MarketGraphSettings settings, IClock clock, IActorRef? eventBus = null, TimeSpan? tickEvery = null)
    {
        // TICK for the event bus: sampled in the stream (a dictionary lookup per event) and told to the bus tap, never awaited.
        if (eventBus is not null)
        {
            var sampler = new Hean.Actors.Events.TickSampler(tickEvery ?? TimeSpan.FromSeconds(1));
            source = source.WireTap(e =>
            {
                if (sampler.Offer(e) is { } tick) eventBus.Tell(tick);
            });
        }
        var completion = new TaskCompletionSource<FeedProtocol.FeedStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feed = await orchestrator.Ask<IActorRef>(new OrchestratorProtocol.CreateFeed(completion), TimeSpan.FromSeconds(30));
        var (killSwitch, processor) = MarketGraph.ToActor(source, settings, feed, clock,
                FeedProtocol.StreamInit.Instance, FeedProtocol.StreamAck.Instance, FeedProtocol.StreamCompleted.Instance,
                ex => new FeedProtocol.StreamFailed(ex))
            .Run(system.Materializer());
        return new TradingSession(feed, killSwitch, processor, completion.Task);
    }
}
