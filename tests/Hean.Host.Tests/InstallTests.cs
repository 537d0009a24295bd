using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// A newcomer's way in: `scripts/install-hean.sh` puts `hean` on the PATH as a .NET tool, and whichever way hean starts
/// (installed, or `dotnet run --project src/Hean.Host`) it works in the folder it was called from: ./.hean, relative paths.
/// </summary>
public sealed class InstallTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("hean-home-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("hean-cwd-").FullName;

    public void Dispose()
    {
        foreach (var dir in new[] { _home, _work })
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { /* temp */ }
    }

    private static string RepoRoot() => RepoPaths.Root;

    private async Task<(int Code, string Out, string Err)> Exec(string file, string workDir, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        start.Environment.Remove("HEAN_DATA_DIR");
        start.Environment.Remove("HEAN_TOKEN");
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await p.WaitForExitAsync(cts.Token);
        output.WriteLine($"{file} {string.Join(' ', args)} → {p.ExitCode}\n{await stdout}\n{await stderr}");
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_install_script_puts_hean_on_the_path_and_it_works_in_the_callers_folder()
    {
        var root = RepoRoot();
        var env = new Dictionary<string, string>
        {
            ["HOME"] = _home, ["HEAN_INSTALL_NO_BUILD"] = "1", ["HEAN_TOOL_DIR"] = Path.Combine(_home, "tool"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1",
        };
        var (code, stdout, _) = await Exec("bash", root, env, "scripts/install-hean.sh");
        Assert.Equal(0, code);
        Assert.Contains("installed in", stdout);
        var hean = Path.Combine(_home, ".dotnet", "tools", "hean");
        Assert.True(File.Exists(hean), $"{hean} was not installed");

        // Bare hean: the commands, not an error. A typo: a suggestion, exit 2.
        var bare = await Exec(hean, _work, env);
        Assert.Equal(0, bare.Code);
        Assert.Contains("backtest", bare.Out);
        var typo = await Exec(hean, _work, env, "stat");
        Assert.Equal(2, typo.Code);
        Assert.Contains("did you mean: hean state?", typo.Err);

        // The caller's folder: a relative data path, and the state in ./.hean.
        await File.WriteAllTextAsync(Path.Combine(_work, "bars.csv"),
            "open_time_ms,open,high,low,close,volume\n1700000000000,100,101,99,100.5,1\n1700000060000,100.5,102,100,101,2\n");
        var inspect = await Exec(hean, _work, env, "data", "inspect", "bars.csv");
        Assert.Equal(0, inspect.Code);
        Assert.Contains("OHLCV CSV", inspect.Out);
        var token = await Exec(hean, _work, env, "token", "rotate");
        Assert.Equal(0, token.Code);
        Assert.True(File.Exists(Path.Combine(_work, ".hean", "api-token")), "the installed hean did not keep its state in ./.hean of the folder it ran in");
    }

    [Fact]
    public async Task Dotnet_run_from_another_folder_keeps_its_state_there_not_in_the_project()
    {
        var root = RepoRoot();
        var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        var (code, _, _) = await Exec("dotnet", _work, env, "run", "--project", Path.Combine(root, "src", "Hean.Host"), "-c", "Release", "--no-build",
            "--", "token", "rotate");
        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(_work, ".hean", "api-token")), "dotnet run kept its state somewhere else than the caller's folder");
    }
}
