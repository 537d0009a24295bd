using System.Diagnostics;

namespace Hean.ML.Tests;

/// <summary>The real `hean` executable (copied next to the tests by the Hean.Host reference) as a child process.</summary>
internal static class HeanCli
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hean.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["HEAN_DATA_DIR"] = Path.Combine(workDir, ".hean");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start hean");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hean {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
