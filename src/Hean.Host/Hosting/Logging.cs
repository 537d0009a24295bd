using Serilog;
using Serilog.Events;

namespace Hean.Host.Hosting;

/// <summary>Serilog: a rolling file under the data folder at LOG_LEVEL, and the console (stderr) for warnings and up.</summary>
public static class Logging
{
    public static Serilog.ILogger Create(string logLevel, string dataDir, bool consoleAll)
    {
        var level = logLevel switch
        {
            "DEBUG" => LogEventLevel.Debug,
            "WARNING" => LogEventLevel.Warning,
            "ERROR" => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Warning)
            // Every line names its component: an actor's class (Akka's events carry it), a logger's category, else "hean".
            .Enrich.WithProperty("SourceContext", "hean")
            .WriteTo.File(Path.Combine(dataDir, "logs", "hean-.log"), rollingInterval: RollingInterval.Day,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.Console(restrictedToMinimumLevel: consoleAll ? level : LogEventLevel.Warning, standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "{Timestamp:HH:mm:ss} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
    }
}
