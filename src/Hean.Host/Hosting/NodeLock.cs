namespace Hean.Host.Hosting;

/// <summary>
/// One node per data folder: `hean run` holds an exclusive lock on <c>node.lock</c> in it for as long as it runs. The
/// operating system drops the lock with the process, however it ends (SIGKILL included), so a crash leaves no stale
/// lock behind. The file names the venue of the node that holds (or last held) it, so that `hean reset`, which takes
/// the same lock before it moves anything, knows a folder that traded live even when no setting says so now.
/// </summary>
public sealed class NodeLock : IDisposable
{
    public const string FileName = "node.lock";
    private const string VenueKey = "exchange=";

    private readonly FileStream _file;

    private NodeLock(FileStream file, string? lastVenue)
    {
        _file = file;
        LastVenue = lastVenue;
    }

    /// <summary>The venue the last node on this folder ran against (simulated, bybit); null before any.</summary>
    public string? LastVenue { get; }

    /// <summary>The lock, or null when another process (a running node) holds it. The folder must exist.</summary>
    public static NodeLock? TryTake(string dataDir)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        FileStream file;
        try
        {
            file = new FileStream(Path.Combine(dataDir, FileName), options);
        }
        catch (IOException e) when (e is not DirectoryNotFoundException)
        {
            return null;
        }
        using var reader = new StreamReader(file, leaveOpen: true);
        var venue = reader.ReadToEnd().Split('\n').FirstOrDefault(l => l.StartsWith(VenueKey, StringComparison.Ordinal))?[VenueKey.Length..].Trim();
        return new NodeLock(file, venue);
    }

    /// <summary>Says in the file which venue this node runs against, and its process id.</summary>
    public void Claim(string venue)
    {
        _file.SetLength(0);
        using var writer = new StreamWriter(_file, leaveOpen: true);
        writer.Write($"{VenueKey}{venue}\npid={Environment.ProcessId}\n");
        writer.Flush();
        _file.Flush(flushToDisk: true);
    }

    /// <summary>Why the lock was not had, for the refusal's message.</summary>
    public static string Held(string dataDir) => $"a node is running on {dataDir} (it holds {Path.Combine(dataDir, FileName)})";

    public void Dispose() => _file.Dispose();
}
