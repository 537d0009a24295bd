namespace Hean.ML.Inference;

/// <summary>
/// Writes a file so readers see the old content or the new one, never a part, and a crash right after leaves the new
/// one whole: a temporary file (a fresh hidden name in the same folder) written, flushed to disk, then renamed over.
/// A write that fails removes its temporary file; one a killed process left (its name carries the writer's process id)
/// is removed by the next write of the same file.
/// </summary>
public static class AtomicFile
{
    /// <summary>A fresh temporary name beside the target, after removing those of writers that no longer run.</summary>
    private static string TempFor(string full)
    {
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var name = Path.GetFileName(full);
        foreach (var stale in Directory.EnumerateFiles(dir, $".{name}.*.tmp"))
        {
            var parts = Path.GetFileName(stale)[(name.Length + 2)..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try { File.Delete(stale); }
                catch (IOException) { /* another writer's cleanup got there first */ }
                catch (UnauthorizedAccessException) { /* not ours to remove */ }
            }
        }
        return Path.Combine(dir, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static void WriteAllText(string path, string content) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(content);
        });

    /// <summary>
    /// Streams the content through <paramref name="write"/> into the temporary file; renamed over the target only when it
    /// returns. With <paramref name="unixMode"/> the file is created with that mode (e.g. owner-only for secrets).
    /// </summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? unixMode = null)
    {
        var full = Path.GetFullPath(path);
        var temp = TempFor(full);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (unixMode is { } mode && !OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The same for asynchronous writers (a CSV streamed from a long computation).</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var full = Path.GetFullPath(path);
        var temp = TempFor(full);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await write(stream);
                await stream.FlushAsync();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
