using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Persistence.Redis.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hean.Host.Hosting;

/// <summary>Marker for the orchestrator in the ActorRegistry.</summary>
public sealed class HeanOrchestrator;

public static class TradingSystemSetup
{
    /// <summary>
    /// The actor system of HEAN through Akka.Hosting: HOCON from hocon/ for the chosen persistence
    /// backend, Akka logs into Microsoft.Extensions.Logging (Serilog), and /user/hean.
    /// </summary>
    public static IServiceCollection AddHeanTrading(this IServiceCollection services, TradingSettings settings,
        PersistenceBackend backend, string dataDir, string? redis = null, string? postgres = null, ObserverSettings? observers = null,
        string logLevel = "INFO", bool serilog = false) =>
        services.AddAkka("hean", (builder, _) =>
        {
            builder.AddHocon(HeanConfig.Build(backend, dataDir, redis, postgres, pluginByHosting: backend == PersistenceBackend.Redis), HoconAddMode.Prepend);
            // The Redis plugin through its Akka.Hosting extension: journal, snapshot store, read journal, and the tagger.
            if (backend == PersistenceBackend.Redis)
                builder.WithRedisPersistence(new RedisServerOptions(redis ?? throw new ArgumentException("the Redis backend needs HEAN_REDIS")),
                    journal => journal.AddWriteEventAdapter<HeanTagger>("hean-tags", [typeof(IOrderEvent), typeof(IPortfolioEvent), typeof(IRiskEvent)]));
            builder
                .ConfigureLoggers(l =>
                {
                    l.ClearLoggers();
                    // hean run: Akka's events straight into Serilog, each with its source (the actor's path) as its
                    // SourceContext; elsewhere (backtests, tests) into Microsoft.Extensions.Logging.
                    if (serilog) l.AddLogger<Akka.Logger.Serilog.SerilogLogger>();
                    else l.AddLoggerFactory();
                    l.LogLevel = logLevel switch
                    {
                        "DEBUG" => Akka.Event.LogLevel.DebugLevel,
                        "WARNING" => Akka.Event.LogLevel.WarningLevel,
                        "ERROR" => Akka.Event.LogLevel.ErrorLevel,
                        _ => Akka.Event.LogLevel.InfoLevel,
                    };
                })
                .WithActors((system, registry) =>
                {
                    var orchestrator = system.ActorOf(Props.Create(() => new Orchestrator(settings)), Orchestrator.Name);
                    registry.Register<HeanOrchestrator>(orchestrator);
                    (observers ?? ObserverSettings.None).Start(system, registry, orchestrator, backend, settings.InitialCash);
                });
        });
}
