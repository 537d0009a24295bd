namespace Hean.Core.Tests.Replay;

/// <summary>
/// The shared recorded data (<c>shared/data</c>), found by walking up from the test's directory; null on a fresh clone
/// without it (tests that need it skip with <see cref="Missing"/>).
/// </summary>
internal static class SharedDataDir
{
    public static string? Root { get; } = Find();

    public static string Missing => "shared/data not found in any folder above " + AppContext.BaseDirectory + ": the real captures were not checked";

    public static string File(params string[] parts) => Path.Combine([Root!, .. parts]);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
