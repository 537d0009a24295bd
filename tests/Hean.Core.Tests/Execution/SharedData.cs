namespace Hean.Core.Tests.Execution;

/// <summary>
/// The shared market data beside the repository (../shared/data), or <c>HEAN_SHARED_DATA</c>. Tests that need
/// it print what is missing and return; they never fail for its absence.
/// </summary>
internal static class SharedData
{
    private static readonly string? Root = Find();

    public static string? Binance(string file)
    {
        if (Root is null) return null;
        var path = Path.Combine(Root, "binance", file);
        return File.Exists(path) ? path : null;
    }

    public static string Missing(string file) =>
        $"../shared/data/binance/{file} not found (looked beside the repository and in $HEAN_SHARED_DATA); the real-data comparison did not run";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("HEAN_SHARED_DATA") is { Length: > 0 } env && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln"))) continue;
            var shared = Path.Combine(dir.FullName, "..", "shared", "data");
            return Directory.Exists(shared) ? Path.GetFullPath(shared) : null;
        }
        return null;
    }
}
