using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Hosting;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Hean.Host.Hosting;

public static class TradingSystemSetup
{
    /// <summary>
    /// The actor system of HEAN through Akka.Hosting, one extension per feature: the persistence backend, Akka logs into
    /// Microsoft.Extensions.Logging (Serilog), the trading components in dependency order with the paper venue or
    /// <paramref name="venue"/> (a live venue's gateway from orders and portfolio), the orchestrator, then the observers.
    /// </summary>
    public static IServiceCollection AddHeanTrading(this IServiceCollection services, TradingSettings settings,
        PersistenceBackend backend, string dataDir, string? redis = null, string? postgres = null, ObserverSettings? observers = null,
        string logLevel = "INFO", bool serilog = false, Func<IActorRef, IActorRef, Props>? venue = null) =>
        services.AddAkka("hean", (builder, _) =>
        {
            builder
                .WithHeanPersistence(backend, dataDir, redis, postgres)
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
                .WithHeanTrading(settings, venue)
                .WithHeanObservers(observers ?? ObserverSettings.None, backend, settings.InitialCash);
        });
}
