using System.Buffers;
using System.Text;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// The lines of a text file as UTF-8 bytes over one reused buffer, for the CSV readers: no characters decoded, no string,
/// no copy for a line that lies whole in the buffer. The text is read as <see cref="TextLines.Open"/> reads it: lines end
/// with \n, \r\n or \r; a byte order mark is dropped, and a UTF-16 or UTF-32 one (which a <see cref="StreamReader"/>
/// follows) has the text turned into UTF-8 first; a line longer than the limit in characters (as decoded) is refused;
/// a damaged or cut gzip file stays refused if read again.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Func<Stream> _open;
    private readonly int _maxChars;
    private Stream _source;
    private byte[] _buffer;
    private int _pos;
    private int _len;
    private int _lineStart;
    private int _lineLength;
    private bool _started;
    private bool _ended;
    private bool _skipLf;
    private Exception? _failure;

    /// <param name="open">Opens the file's text (decompressed): again from its start if it turns out to be UTF-16 or UTF-32.</param>
    public Utf8LineReader(Func<Stream> open, int maxChars)
    {
        _open = open;
        _maxChars = maxChars;
        _source = open();
        _buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
    }

    /// <summary>
    /// The next line without its end, or false at the end of the text. The bytes are the reader's own, valid until the
    /// next read.
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (!_started) Start();
        if (_skipLf)
        {
            if (_pos == _len) Fill();
            if (_pos < _len && _buffer[_pos] == '\n') _pos++;
            _skipLf = false;
        }
        var scanned = 0; // bytes of the line already searched for its end
        while (true)
        {
            var pending = _buffer.AsSpan(_pos, _len - _pos);
            var end = pending[scanned..].IndexOfAny((byte)'\n', (byte)'\r');
            if (end >= 0)
            {
                end += scanned;
                if (end > _maxChars) CheckLength(pending[..end]);
                (_lineStart, _lineLength) = (_pos, end);
                line = pending[..end];
                _pos += end + 1;
                _skipLf = pending[end] == '\r';
                return true;
            }
            if (pending.Length > _maxChars) CheckLength(pending);
            scanned = pending.Length;
            if (!Fill())
            {
                (_lineStart, _lineLength) = (_pos, _len - _pos);
                line = _buffer.AsSpan(_pos, _len - _pos);
                _pos = _len;
                return line.Length > 0;
            }
        }
    }

    /// <summary>The line last read (what <see cref="TryReadLine"/> gave), valid until the next read.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Refuses a line longer than the limit in UTF-16 characters (a line of more bytes may still be within it).</summary>
    private void CheckLength(ReadOnlySpan<byte> line)
    {
        // As decoded: one character per sequence (a byte that does not continue one), two for a 4-byte sequence.
        var chars = 0;
        foreach (var b in line) chars += (b & 0xC0) == 0x80 ? 0 : b >= 0xF0 ? 2 : 1;
        if (chars > _maxChars)
            throw new TextFileException($"a line longer than {_maxChars:N0} characters (no line break found): not a text file HEAN reads");
    }

    /// <summary>Reads more after what is left of the current line (moved to the buffer's start, or a larger buffer); false at the end.</summary>
    private bool Fill()
    {
        // A damaged or cut file stays refused if read again: never a quiet end after the error.
        if (_failure is not null) throw _failure;
        if (_ended) return false;
        var left = _len - _pos;
        if (left == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(_pos, left).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else if (_pos > 0)
        {
            _buffer.AsSpan(_pos, left).CopyTo(_buffer);
        }
        _pos = 0;
        _len = left;
        int n;
        try
        {
            n = _source.Read(_buffer.AsSpan(_len));
        }
        catch (Exception e) when (TextLines.IsDamage(e))
        {
            _failure = e;
            throw;
        }
        _len += n;
        if (n == 0) _ended = true;
        return n > 0;
    }

    /// <summary>The byte order mark, as <see cref="StreamReader"/> detects it: a UTF-8 one is dropped, UTF-16 and UTF-32 text is reopened as UTF-8.</summary>
    private void Start()
    {
        _started = true;
        while (_len < 4 && Fill()) { }
        var head = _buffer.AsSpan(0, _len);
        Encoding? encoding = head switch
        {
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
            [0xFF, 0xFE, 0, 0, ..] => Encoding.UTF32,
            [0xFF, 0xFE, ..] => Encoding.Unicode,
            [0, 0, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            _ => null,
        };
        if (head is [0xEF, 0xBB, 0xBF, ..]) _pos = 3;
        if (encoding is null) return;

        _source.Dispose();
        var text = _open();
        var mark = encoding.Preamble.Length;
        Span<byte> skipped = stackalloc byte[4];
        while (mark > 0 && text.Read(skipped[..mark]) is var n and > 0) mark -= n;
        _source = Encoding.CreateTranscodingStream(text, encoding, Encoding.UTF8);
        _pos = _len = 0;
        _ended = false;
    }

    public void Dispose()
    {
        _source.Dispose();
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
