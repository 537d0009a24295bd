using System.IO.Compression;
using System.Text;

namespace Hean.Core.Tests.Replay;

/// <summary>A private temporary folder for files a test writes, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hean-replay-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes a file, gzip-compressed when <paramref name="gzip"/> (by default: when the name ends in .gz).</summary>
    public string Write(string name, string content, bool? gzip = null)
    {
        var file = System.IO.Path.Combine(Path, name);
        if (gzip ?? name.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gz = new GZipStream(File.Create(file), CompressionLevel.Fastest);
            gz.Write(Encoding.UTF8.GetBytes(content));
        }
        else
        {
            File.WriteAllText(file, content);
        }
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: the OS cleans temp */ }
    }
}

/// <summary>Where the shared recorded data lives, when this machine has it.</summary>
internal static class SharedData
{
    public const string Root = "/work/shared/data";
    public static bool Available => Directory.Exists(Root);
    public static string File(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
