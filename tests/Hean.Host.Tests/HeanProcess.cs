using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hean.Host.Tests;

/// <summary>The real `hean` executable as a child process, for crash and command-line tests.</summary>
public sealed class HeanProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HeanProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_out) _out.AppendLine(e.Data);
            var m = Regex.Match(e.Data, @"health (https?://\S+)/health");
            if (m.Success) _address.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_err) _err.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string HeanDll => Path.Combine(AppContext.BaseDirectory, "hean.dll");

    public string StdOut { get { lock (_out) return _out.ToString(); } }
    public string StdErr { get { lock (_err) return _err.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int Pid => _process.Id;
    public int ExitCode => _process.ExitCode;

    public static HeanProcess Start(string workDir, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        StartProcess("dotnet", [HeanDll, .. args], workDir, env);

    /// <summary>A command line run by bash, as typed at a terminal (quotes, comments, continuations), with the same environment as <see cref="Start"/>.</summary>
    public static HeanProcess StartBash(string workDir, IReadOnlyDictionary<string, string>? env, string commandLine) =>
        StartProcess("bash", ["-c", commandLine], workDir, env);

    private static HeanProcess StartProcess(string program, IEnumerable<string> args, string workDir, IReadOnlyDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in Configuration.HeanSettings.Names) psi.Environment.Remove(name);
        // Nodes and commands share the test token unless a test says otherwise (an empty value: none, the token file is used).
        psi.Environment["HEAN_TOKEN"] = Api.TestToken;
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        if (psi.Environment["HEAN_TOKEN"] is "") psi.Environment.Remove("HEAN_TOKEN");
        return new HeanProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start hean"));
    }

    /// <summary>Runs to the end and returns (exit code, stdout, stderr).</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string workDir, IReadOnlyDictionary<string, string>? env,
        TimeSpan timeout, params string[] args)
    {
        await using var p = Start(workDir, env, args);
        using var cts = new CancellationTokenSource(timeout);
        await p._process.WaitForExitAsync(cts.Token);
        p._process.WaitForExit(); // drain the output handlers
        return (p.ExitCode, p.StdOut, p.StdErr);
    }

    /// <summary>Runs to the end with the given text on standard input.</summary>
    public static async Task<(int Code, string Out, string Err)> RunWithInputAsync(string workDir, IReadOnlyDictionary<string, string>? env,
        TimeSpan timeout, string input, params string[] args)
    {
        await using var p = Start(workDir, env, args);
        await p._process.StandardInput.WriteAsync(input);
        p._process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        await p._process.WaitForExitAsync(cts.Token);
        p._process.WaitForExit();
        return (p.ExitCode, p.StdOut, p.StdErr);
    }

    public async Task<string> AddressAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_address.Task, Task.Delay(timeout));
        if (done != _address.Task) throw new TimeoutException($"hean did not print its address in {timeout}.\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
        return await _address.Task;
    }

    /// <summary>SIGTERM, as a service manager stops a node: a graceful stop (final checkpoint, logs flushed).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush — what a crash or an OOM kill does.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) KillHard();
        _process.Dispose();
        await Task.CompletedTask;
    }
}

public static class Api
{
    /// <summary>The operator token the test nodes run with (HEAN_TOKEN), sent by <see cref="Http"/>.</summary>
    public const string TestToken = "hean_test-token-0123456789abcdefghijklmnopqrstuvwxyz";

    public static readonly HttpClient Http = new()
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestToken) },
    };

    public static async Task<JsonElement> GetAsync(string url) =>
        await Http.GetFromJsonAsync<JsonElement>(url);

    public static async Task<JsonElement> PostAsync(string url)
    {
        using var response = await Http.PostAsync(url, null);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls until the condition holds on /api/state, or fails with the last state.</summary>
    public static async Task<JsonElement> WaitForStateAsync(string baseUrl, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        JsonElement last = default;
        while (sw.Elapsed < timeout)
        {
            try
            {
                last = await GetAsync(baseUrl + "/api/state");
                if (condition(last)) return last;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"state condition not met in {timeout}; last state: {last}");
    }
}
