namespace Hean.Host.Tests;

/// <summary>Where the repository is, from the test's binaries.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find() ?? throw new InvalidOperationException("repository root (Hean.Akka.sln) not found above " + AppContext.BaseDirectory);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln"))) return dir.FullName;
        return null;
    }
}

/// <summary>The real market data beside the repository (../shared/data from its root), or null when this machine has none.</summary>
internal static class SharedData
{
    public static string? Dir { get; } = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data")) is var shared && Directory.Exists(shared) ? shared : null;
}
