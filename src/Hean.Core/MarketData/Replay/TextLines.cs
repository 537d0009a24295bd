using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Opens a text file of market data, gzip or plain (told by the gzip magic bytes, not the name), for reading line by
/// line with two guards: a line longer than <see cref="MaxLineChars"/> is refused (a 200 MB single-line file costs
/// at most that line's limit, about 8 MB, not gigabytes), and a gzip file must end with its trailer (CRC-32 and length of what it holds). A gzip cut
/// short, at a flush point or before its trailer (what a killed recorder or an interrupted copy leaves), decompresses
/// without complaint in .NET; here it is refused at its end. Both problems are a <see cref="TextFileException"/>.
/// </summary>
public static class TextLines
{
    /// <summary>The longest line read (the longest real capture line, a Binance depth snapshot, is ~64 K characters).</summary>
    public const int MaxLineChars = 4 * 1024 * 1024;

    public static TextReader Open(string path, int maxLineChars = MaxLineChars) =>
        new BoundedLineReader(new StreamReader(OpenContent(path), Encoding.UTF8, true, bufferSize: 1 << 16), maxLineChars);

    /// <summary>Like <see cref="Open"/>, with lines read as UTF-8 bytes (no characters, no string) for the CSV readers.</summary>
    internal static Utf8LineReader OpenUtf8Lines(string path, int maxLineChars = MaxLineChars)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Utf8LineReader(() => OpenContent(path), maxLineChars);
    }

    /// <summary>The file's bytes, decompressed when it is gzip (told by its magic bytes).</summary>
    private static Stream OpenContent(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = File.OpenRead(path);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var gzip = stream.Read(magic) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            stream.Position = 0;
            return gzip ? new CheckedGzipStream(stream) : stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The lines of a text file with their 1-based numbers; a damaged or cut gzip stream or an overlong line is a
    /// <see cref="MarketDataFormatException"/> naming the line.
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
            catch (Exception e) when (IsDamage(e))
            {
                throw new MarketDataFormatException(path, number + 1, Problem(e), e);
            }
            if (line is null) yield break;
            yield return (++number, line);
        }
    }

    /// <summary>The first line that is not blank (null for an empty file), for telling formats apart.</summary>
    public static string? FirstLine(string path)
    {
        using var reader = Open(path);
        var number = 0;
        try
        {
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line)) return line;
            }
            return null;
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw new MarketDataFormatException(path, number + 1, Problem(e), e);
        }
    }

    /// <summary>What a read failure means, in words: our own checks say it already; the runtime's gzip errors are named as such.</summary>
    public static string Problem(Exception e) =>
        e is TextFileException ? e.Message : $"the gzip data is damaged ({e.Message})";

    /// <summary>A read failure that is the file's fault (damaged or cut gzip, an endless line), not the machine's.</summary>
    public static bool IsDamage(Exception e) => e is InvalidDataException or TextFileException;

    /// <summary>Decompresses a gzip file and, at its end, checks the trailer against what came out.</summary>
    private sealed class CheckedGzipStream(FileStream file) : Stream
    {
        private readonly GZipStream _gzip = new(file, CompressionMode.Decompress);
        private readonly Crc32 _crc = new();
        private long _length;
        private bool _checked;
        private TextFileException? _cut;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_cut is not null) throw _cut; // read again after the refusal: still refused, never a quiet end
            var n = _gzip.Read(buffer);
            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _length += n;
            }
            else if (buffer.Length > 0 && !_checked)
            {
                _checked = true;
                CheckTrailer();
            }
            return n;
        }

        private void CheckTrailer()
        {
            // RFC 1952: a member ends with CRC-32 and ISIZE (length mod 2^32), little-endian. A single-member file (what
            // gzip and HEAN write) ends with the trailer of everything decompressed.
            var trailer = new byte[8];
            var size = file.Length;
            var complete = size >= 18 && RandomAccess.Read(file.SafeFileHandle, trailer, size - 8) == 8
                                      && BinaryPrimitives.ReadUInt32LittleEndian(trailer) == _crc.GetCurrentHashAsUInt32()
                                      && BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4)) == (uint)_length;
            if (!complete)
                throw _cut = new TextFileException(
                    $"the gzip file is cut short: it ends without the trailer of its {_length:N0} bytes of text (a recorder that was killed, or " +
                    "a copy that did not finish; several gzip files joined into one are not read either). Refused rather than replayed " +
                    "as if complete; `zcat` recovers what it holds");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _gzip.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Reads lines (ended by \n, \r\n or \r) of at most a given length, holding no more than that.</summary>
    internal sealed class BoundedLineReader(TextReader inner, int maxChars) : TextReader
    {
        private readonly char[] _buffer = new char[1 << 16];
        // A line that does not lie whole in the buffer is put together here.
        private char[] _line = new char[256];
        private int _lineLength;
        private int _pos;
        private int _len;
        private bool _skipLf;

        private Exception? _failure;

        private bool Fill()
        {
            // A damaged or cut file stays refused if read again: never a quiet end after the error.
            if (_failure is not null) throw _failure;
            _pos = 0;
            try
            {
                _len = inner.Read(_buffer, 0, _buffer.Length);
            }
            catch (Exception e) when (IsDamage(e))
            {
                _len = 0;
                _failure = e;
                throw;
            }
            return _len > 0;
        }

        public override string? ReadLine() => TryReadLine(out var line) ? line.ToString() : null;

        /// <summary>
        /// The next line without its end, or false at the end of the text. The memory is the reader's own, valid until the
        /// next read: a line that lies whole in the buffer is not copied at all.
        /// </summary>
        public bool TryReadLine(out ReadOnlyMemory<char> line)
        {
            _lineLength = 0;
            var any = false;
            while (true)
            {
                if (_pos == _len && !Fill())
                {
                    line = _line.AsMemory(0, _lineLength);
                    return any;
                }
                if (_skipLf)
                {
                    _skipLf = false;
                    if (_buffer[_pos] == '\n') _pos++;
                    continue;
                }
                any = true;
                var span = _buffer.AsSpan(_pos, _len - _pos);
                var end = span.IndexOfAny('\n', '\r');
                var take = end < 0 ? span.Length : end;
                if (_lineLength + take > maxChars)
                    throw new TextFileException($"a line longer than {maxChars:N0} characters (no line break found): not a text file HEAN reads");
                if (end >= 0 && _lineLength == 0)
                {
                    line = _buffer.AsMemory(_pos, take);
                }
                else
                {
                    if (_lineLength + take > _line.Length) Array.Resize(ref _line, Math.Max(_lineLength + take, _line.Length * 2));
                    span[..take].CopyTo(_line.AsSpan(_lineLength));
                    _lineLength += take;
                    line = _line.AsMemory(0, _lineLength);
                }
                _pos += take;
                if (end < 0) continue;
                _skipLf = _buffer[_pos] == '\r';
                _pos++;
                return true;
            }
        }

        public override int Peek()
        {
            if (_skipLf && (_pos < _len || Fill()) && _buffer[_pos] == '\n') { _pos++; }
            _skipLf = false;
            return _pos < _len || Fill() ? _buffer[_pos] : -1;
        }

        public override int Read()
        {
            var c = Peek();
            if (c >= 0) _pos++;
            return c;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (buffer.IsEmpty || Peek() < 0) return 0;
            var n = Math.Min(buffer.Length, _len - _pos);
            _buffer.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A text file HEAN refuses to read further: a line too long, a gzip file cut short.</summary>
public sealed class TextFileException(string message) : IOException(message);
