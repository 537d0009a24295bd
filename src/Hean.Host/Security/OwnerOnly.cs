using System.Runtime.InteropServices;
using System.Text;

namespace Hean.Host.Security;

/// <summary>
/// Files only their owner can read: the data folder, the journal, the logs, tokens and key stores. On Unix a node
/// sets its umask to 077, so everything it creates is owner-only without each writer having to remember.
/// </summary>
public static partial class OwnerOnly
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                              UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);

    /// <summary>From now on files and folders this process creates are readable by their owner alone.</summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows()) Umask(0b000_111_111); // 077
    }

    /// <summary>Creates the folder owner-only (0700); returns a warning when it already exists open to others.</summary>
    public static string? CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return null;
        }
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return null;
        }
        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOther) != 0
            ? $"{path} is open to group or others (mode {Octal(mode)}): its journal, logs and token should be the owner's alone (chmod 700 {path})"
            : null;
    }

    /// <summary>The file's mode in octal when group or others may read it; null when it is the owner's alone.</summary>
    public static string? GroupOrOtherCanRead(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0 ? Octal(mode) : null;
    }

    /// <summary>Writes the file owner-only (0600) and atomically: a temporary file, flushed to disk, then renamed over.</summary>
    public static void WriteAllText(string path, string text)
    {
        if (CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!) is { } open) Serilog.Log.Warning("{Problem}", open);
        // Created 0600 under a fresh random name (never a file or link someone put there), then renamed over.
        Hean.ML.Inference.AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)), Private);
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0b111_111_111, 8);
}
