using System.CommandLine;
using System.Globalization;
using Hean.Host.Configuration;
using Hean.Host.Hosting;
using Hean.Host.Security;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Hean.Host.Commands;

/// <summary>
/// `hean reset`: a new paper account. The old account's files (journal, snapshots, history, logs) move into
/// <c>backup-&lt;UTC time&gt;/</c> in the data folder, nothing is deleted; the node's credentials (API tokens, key store)
/// and the model registry stay. Refused, with nothing moved, while a node runs on the folder, without a terminal to
/// confirm on unless --yes, for a live account (EXCHANGE=bybit, or the folder's last node ran on Bybit) unless --live,
/// and when the journal is not in the folder (HEAN_PERSISTENCE other than sqlite).
/// </summary>
public static class ResetCommand
{
    /// <summary>The account: SQLite files (with their -wal, -shm and -journal companions) and the logs.</summary>
    private static readonly string[] AccountDatabases = ["journal.db", "snapshots.db", "history.db"];

    private const string Logs = "logs";

    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "the node's data folder; default HEAN_DATA_DIR or ./.hean" };
        var yes = new Option<bool>("--yes") { Description = "reset without asking (needed without a terminal, e.g. in scripts)" };
        var live = new Option<bool>("--live")
        {
            Description = "reset a live (Bybit) account too: HEAN forgets its record, the positions and orders at Bybit stay as they are",
        };
        var cmd = new Command("reset", "start a new paper account; the old one's journal, snapshots, history and logs move to a backup folder in the data folder")
        {
            dataDir, yes, live,
        };
        cmd.SetAction(async (r, _) => await Program.Guard(() => Task.FromResult(Reset(r.GetValue(dataDir), r.GetValue(yes), r.GetValue(live)))));
        return cmd;
    }

    private static int Reset(string? dataDirOption, bool yes, bool live)
    {
        var configuration = HeanSettings.LoadConfiguration();
        var dir = dataDirOption is null ? HeanSettings.DataDirOf(configuration) : Path.GetFullPath(dataDirOption);
        CheckJournalIsInTheFolder(configuration);
        if (!Directory.Exists(dir))
        {
            Console.WriteLine($"nothing to reset: {dir} does not exist; `hean run` starts a new account there");
            return Program.Ok;
        }
        using var nodeLock = NodeLock.TryTake(dir)
                             ?? throw new ArgumentException(NodeLock.Held(dir) + ": stop it first (Ctrl-C, or SIGTERM to its process), then reset");
        CheckLive(configuration["EXCHANGE"], nodeLock.LastVenue, live);
        var account = AccountEntries(dir);
        if (account.Count == 0)
        {
            Console.WriteLine($"nothing to reset: no account in {dir}; `hean run` starts a new one");
            return Program.Ok;
        }
        var backup = BackupFolder(dir, DateTime.UtcNow);
        if (!yes && !Confirmed(dir, backup, account)) return Program.Failed;

        OwnerOnly.CreateDirectory(backup);
        foreach (var entry in account)
        {
            var target = Path.Combine(backup, Path.GetFileName(entry));
            if (Directory.Exists(entry)) Directory.Move(entry, target);
            else File.Move(entry, target);
        }
        Console.WriteLine($"the old account ({string.Join(", ", account.Select(Path.GetFileName))}) is in {backup}");
        Console.WriteLine("`hean run` now starts a new paper account with the initial capital (INITIAL_CAPITAL or --capital)");
        return Program.Ok;
    }

    private static void CheckJournalIsInTheFolder(IConfiguration configuration)
    {
        var persistence = configuration["HEAN_PERSISTENCE"] is { Length: > 0 } p ? p.ToLowerInvariant() : "sqlite";
        if (persistence != "sqlite")
            throw new ArgumentException($"HEAN_PERSISTENCE={persistence}: the journal is not in the data folder (redis and postgres keep it on their " +
                                        "server, inmem keeps none); hean reset starts a new account of the sqlite journal only");
    }

    /// <summary>A live account is reset only on purpose: its positions and orders are at the venue, whatever HEAN forgets.</summary>
    private static void CheckLive(string? configuredExchange, string? lastVenue, bool live)
    {
        var venue = string.Equals(configuredExchange, "bybit", StringComparison.OrdinalIgnoreCase) ? "EXCHANGE=bybit"
            : lastVenue == "bybit" ? "the last node on this folder traded on Bybit"
            : null;
        if (venue is not null && !live)
            throw new ArgumentException($"{venue}: this is a live account. A reset makes HEAN forget its journal, not the positions and orders at " +
                                        "Bybit: close them there first, or the next run meets positions it has no record of (and stops new orders " +
                                        "until they agree); pass --live if that is what you want");
    }

    private static List<string> AccountEntries(string dir) =>
        Directory.EnumerateFiles(dir).Where(f => AccountDatabases.Any(db => Path.GetFileName(f).StartsWith(db, StringComparison.Ordinal)))
            .Concat(Directory.Exists(Path.Combine(dir, Logs)) ? [Path.Combine(dir, Logs)] : [])
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>backup-yyyyMMdd-HHmmss (UTC); a second reset within the same second gets -2, -3, ….</summary>
    private static string BackupFolder(string dir, DateTime utc)
    {
        var name = "backup-" + utc.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(dir, name);
        for (var n = 2; Directory.Exists(path) || File.Exists(path); n++) path = Path.Combine(dir, $"{name}-{n}");
        return path;
    }

    private static bool Confirmed(string dir, string backup, IReadOnlyList<string> account)
    {
        if (Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            throw new ArgumentException("no terminal to confirm the reset on: pass --yes to reset without asking");
        AnsiConsole.WriteLine($"The account in {dir} ({string.Join(", ", account.Select(Path.GetFileName))}) moves to {backup}.");
        if (AnsiConsole.Confirm("Start a new paper account?", defaultValue: false)) return true;
        Console.WriteLine("nothing moved");
        return false;
    }
}
