using Xunit;

namespace Hean.Host.Tests;

/// <summary>`hean events` and `hean history`: every bad input ends with `error: …` and exit code 2, nothing created.</summary>
public sealed class EventsHistoryCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-evh-").FullName;

    public static TheoryData<string[], string[], string> BadInputs => new()
    {
        { [], ["events", "tail"], "the event bus is not configured: set HEAN_EVENTS_REDIS" },
        { ["HEAN_EVENTS_REDIS=127.0.0.1:1,nosuchkey=1"], ["events", "tail"], "HEAN_EVENTS_REDIS is not a valid connection string" },
        { ["HEAN_EVENTS_REDIS=127.0.0.1:1"], ["events", "tail", "--type", "FILLS"], "unknown event type 'FILLS'" },
        { ["HEAN_EVENTS_REDIS=127.0.0.1:1"], ["events", "tail", "--count", "0"], "--count must be positive" },
        { ["HEAN_EVENTS_REDIS=127.0.0.1:1"], ["events", "replay", "--from", "yesterday"], "--from must be a stream entry id" },
        { ["HEAN_EVENTS_REDIS=127.0.0.1:1,connectTimeout=200"], ["events", "replay", "--from", "0"], "cannot reach the event bus Redis" },
        { ["HEAN_EVENTS_REDIS=127.0.0.1:7", "HEAN_EVENTS_DB=0", "HEAN_PERSISTENCE=redis", "HEAN_REDIS=127.0.0.1:7"], ["events", "tail"],
            "HEAN_EVENTS_DB must not be 0" },
        { [], ["history", "fills"], "no history store at" },
        { [], ["history", "orders", "--format", "xml"], "--format must be table, csv or json" },
        { [], ["history", "pnl", "--limit", "0"], "--limit must be between 1 and" },
        { [], ["history", "fills", "--from", "2025-02-01", "--to", "2025-01-01"], "--to must be after --from" },
        { [], ["history", "fills", "--from", "soon"], "--from must be a UTC time" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_with_a_clear_error(string[] env, string[] args, string message)
    {
        var vars = new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean") };
        foreach (var kv in env) vars[kv[..kv.IndexOf('=')]] = kv[(kv.IndexOf('=') + 1)..];
        var (code, _, err) = await HeanProcess.RunAsync(_dir, vars, TimeSpan.FromSeconds(60), args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains(message, err);
        Assert.False(File.Exists(Path.Combine(_dir, ".hean", "history.db")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
