using System.Text.Json;
using Hean.Host.Hosting;
using Serilog.Events;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>The redaction filter in front of every log sink, and LOG_FORMAT=json on a real `hean run`.</summary>
public sealed class LoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-logging-").FullName;
    private readonly LogRedactor _redactor = new(["bybit-key-ABCDEF", "the-bybit-secret-0123456789", null, "", "short"]);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    [Theory]
    [InlineData("signing with bybit-key-ABCDEF", "signing with ***")]
    [InlineData("secret the-bybit-secret-0123456789 leaked", "secret *** leaked")]
    [InlineData("Host=db;Username=hean;Password=pg-pass-1;Database=hean", "Host=db;Username=hean;Password=***;Database=hean")]
    [InlineData("redis:6379,password=r3dis-pass,ssl=false", "redis:6379,password=***,ssl=false")]
    [InlineData("{\"api_key\":\"AKIA123\",\"qty\":\"1\"}", "{\"api_key\":\"***\",\"qty\":\"1\"}")]
    [InlineData("X-BAPI-SIGN: 9f8e7d6c X-BAPI-API-KEY: abc", "X-BAPI-SIGN: *** X-BAPI-API-KEY: ***")]
    [InlineData("Authorization: Bearer eyJhbGciOi.payload", "Authorization: Bearer ***")]
    [InlineData("refused hean_AbCdEfGhIjKlMnOpQrStUvWxYz012345", "refused hean_***")]
    [InlineData("peer 203.0.113.7 disconnected, listening on 0.0.0.0:8080 and 127.0.0.1:9090", "peer [ip] disconnected, listening on 0.0.0.0:8080 and 127.0.0.1:9090")]
    [InlineData("hean token rotate; the short value stays; ORDER_FILLED BTCUSDT 0.01 @ 97000.5", "hean token rotate; the short value stays; ORDER_FILLED BTCUSDT 0.01 @ 97000.5")]
    public void Text_loses_its_secrets_and_nothing_else(string text, string expected) => Assert.Equal(expected, _redactor.Redact(text));

    [Fact]
    public void Properties_nested_values_and_exceptions_are_redacted()
    {
        var template = new Serilog.Parsing.MessageTemplateParser().Parse("connecting with {Connection} as {Who} key bybit-key-ABCDEF {Request}");
        var request = new StructureValue([new LogEventProperty("symbol", new ScalarValue("BTCUSDT")), new LogEventProperty("apiSecret", new ScalarValue(42))]);
        var e = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error, new InvalidOperationException("auth failed for password=hunter22"), template,
        [
            new LogEventProperty("Connection", new ScalarValue("db:5432;Password=pg-pass-1")),
            new LogEventProperty("Who", new SequenceValue([new ScalarValue("the-bybit-secret-0123456789")])),
            new LogEventProperty("Request", request),
            new LogEventProperty("Token", new ScalarValue("anything")),
        ]);

        var redacted = _redactor.Redact(e);
        var rendered = redacted.RenderMessage();
        Assert.Equal("connecting with \"db:5432;Password=***\" as [\"***\"] key *** { symbol: \"BTCUSDT\", apiSecret: \"***\" }", rendered);
        Assert.Equal("\"***\"", redacted.Properties["Token"].ToString());
        Assert.DoesNotContain("hunter22", redacted.Exception!.ToString());
        Assert.Contains("password=***", redacted.Exception.ToString());
        Assert.Contains("InvalidOperationException", redacted.Exception.ToString());
    }

    [Fact]
    public void The_file_log_is_redacted()
    {
        var logger = (Serilog.Core.Logger)Logging.Create("INFO", json: false, _dir, consoleAll: false, _redactor);
        logger.ForContext("SourceContext", "Hean.Test").Information("placing with {Key} from 198.51.100.20", "bybit-key-ABCDEF");
        logger.Dispose();
        var text = File.ReadAllText(Directory.GetFiles(Path.Combine(_dir, "logs")).Single());
        Assert.Contains("Hean.Test: placing with *** from [ip]", text);
        Assert.DoesNotContain("bybit-key-ABCDEF", text);
    }

    [Fact]
    public async Task Log_format_json_makes_stdout_json_lines_with_the_component_on_each()
    {
        var env = new Dictionary<string, string>
        {
            ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"), ["LOG_FORMAT"] = "json", ["HEAN_TOKEN"] = Api.TestToken, ["HEAN_PERSISTENCE"] = "inmem",
        };
        var (code, stdout, stderr) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(90), "run", "--duration", "6s", "--speed", "60", "--http-port", "0");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // every line is one JSON object
        Assert.All(events, e =>
        {
            Assert.True(e.TryGetProperty("Timestamp", out _));
            Assert.True(e.TryGetProperty("Level", out _));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("Properties").GetProperty("SourceContext").GetString()));
        });
        var messages = events.Select(e => e.GetProperty("RenderedMessage").GetString()!).ToList();
        Assert.Contains(messages, m => m.StartsWith("health http://127.0.0.1:", StringComparison.Ordinal)); // the address line is an event too
        Assert.Contains(messages, m => m.StartsWith("  equity ", StringComparison.Ordinal)); // and the summary
        Assert.Contains(events, e => e.GetProperty("Properties").GetProperty("SourceContext").GetString()!.StartsWith("Hean.Actors", StringComparison.Ordinal));
        Assert.DoesNotContain(Api.TestToken, stdout);
    }
}
