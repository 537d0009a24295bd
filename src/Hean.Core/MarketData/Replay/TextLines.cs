using System.IO.Compression;

namespace Hean.Core.MarketData.Replay;

/// <summary>Opens a text file, gzip or plain (told by the gzip magic bytes, not the name).</summary>
public static class TextLines
{
    public static TextReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = File.OpenRead(path);
        try
        {
            var magic = new byte[2];
            var gzip = stream.Read(magic, 0, 2) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            stream.Position = 0;
            Stream content = gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
            return new StreamReader(content, bufferSize: 1 << 16);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The lines of a text file with their 1-based numbers; a damaged gzip stream is a <see cref="MarketDataFormatException"/>
    /// naming the line it broke at.
    /// </summary>
    public static IEnumerable<(int Number, string Line)> Numbered(string path)
    {
        using var reader = Open(path);
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (InvalidDataException e)
            {
                throw new MarketDataFormatException(path, number + 1, $"the gzip stream is damaged: {e.Message}", e);
            }
            if (line is null) yield break;
            yield return (++number, line);
        }
    }

    /// <summary>The first line that is not blank (null for an empty file), for telling formats apart.</summary>
    public static string? FirstLine(string path)
    {
        using var reader = Open(path);
        try
        {
            while (reader.ReadLine() is { } line)
                if (!string.IsNullOrWhiteSpace(line)) return line;
            return null;
        }
        catch (InvalidDataException e)
        {
            throw new MarketDataFormatException(path, 0, $"not a readable gzip file: {e.Message}", e);
        }
    }
}
