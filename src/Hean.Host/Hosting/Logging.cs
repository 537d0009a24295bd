using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Hean.Host.Hosting;

/// <summary>
/// Serilog: a rolling text file under the data folder at LOG_LEVEL, and the console: warnings and up as text on stderr,
/// or with LOG_FORMAT=json every event at LOG_LEVEL as one JSON object per line on stdout (for log collectors).
/// Everything passes the <see cref="LogRedactor"/> first.
/// </summary>
public static class Logging
{
    public static Serilog.ILogger Create(string logLevel, bool json, string dataDir, bool consoleAll, LogRedactor redactor)
    {
        var level = logLevel switch
        {
            "DEBUG" => LogEventLevel.Debug,
            "WARNING" => LogEventLevel.Warning,
            "ERROR" => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
        var sinks = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.File(Path.Combine(dataDir, "logs", "hean-.log"), rollingInterval: RollingInterval.Day,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        sinks = json
            ? sinks.WriteTo.Console(new JsonFormatter(renderMessage: true), restrictedToMinimumLevel: level)
            : sinks.WriteTo.Console(restrictedToMinimumLevel: consoleAll ? level : LogEventLevel.Warning, standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "{Timestamp:HH:mm:ss} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Warning)
            // Every line names its component: an actor's class (Akka's events carry it), a logger's category, else "hean".
            .Enrich.WithProperty("SourceContext", "hean")
            .WriteTo.Sink(new RedactingSink(redactor, sinks.CreateLogger()))
            .CreateLogger();
    }
}
