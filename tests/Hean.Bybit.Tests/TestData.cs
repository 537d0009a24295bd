namespace Hean.Bybit.Tests;

/// <summary>
/// Where the sample messages are: the shared Bybit fixtures (<c>../shared/data/bybit</c> beside the repository, or
/// <c>HEAN_BYBIT_FIXTURES</c>), and the self-made samples shipped with the tests (always present).
/// </summary>
internal static class TestData
{
    public static string SamplesDir { get; } = Path.Combine(AppContext.BaseDirectory, "Samples");

    public static string? SharedBybitDir { get; } = FindShared();

    public static string SharedMissing =>
        "shared Bybit fixtures not found (looked for ../shared/data/bybit beside the repository and $HEAN_BYBIT_FIXTURES); " +
        "only the self-made samples in tests/Hean.Bybit.Tests/Samples were checked";

    private static string? FindShared()
    {
        if (Environment.GetEnvironmentVariable("HEAN_BYBIT_FIXTURES") is { Length: > 0 } env && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln"))) continue;
            var shared = Path.Combine(dir.FullName, "..", "shared", "data", "bybit");
            return Directory.Exists(shared) ? Path.GetFullPath(shared) : null;
        }
        return null;
    }
}
