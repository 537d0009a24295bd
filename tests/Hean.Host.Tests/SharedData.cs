namespace Hean.Host.Tests;

/// <summary>The real market data beside the repository (../shared/data from its root), or null when this machine has none.</summary>
internal static class SharedData
{
    public static string? Dir { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(shared) ? shared : null;
            }
        return null;
    }
}
