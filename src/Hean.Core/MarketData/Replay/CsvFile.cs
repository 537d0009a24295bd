using System.Globalization;
using System.Text;
using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Line-by-line reading of a comma-separated file with a header row, gzip or plain (detected by
/// the gzip magic bytes, not the file name). Fields may be double-quoted; quoted fields may not span
/// lines. Blank lines are skipped. Every error names the file and the 1-based line.
/// A row is read from the file's UTF-8 bytes as ranges over its line (<see cref="Utf8LineReader"/>): no character decoded and
/// no string per line or field, except for a line with quotes or characters beyond ASCII, which is read as text (the same
/// fields, trimmed of Unicode white space) and kept as UTF-8 again.
/// </summary>
internal sealed class CsvFile : IDisposable
{
    private readonly Utf8LineReader _reader;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);
    // The epoch unit each column's name gives (_s, _ms, _us, _ns), 0 when the magnitude decides.
    private readonly decimal[] _unitByName;
    // The current row: its fields as ranges (start, end) over the line's bytes, or over the fields re-encoded for a decoded row.
    private readonly int[] _starts;
    private readonly int[] _ends;
    private byte[] _decoded = [];
    private bool _decodedRow;

    private CsvFile(string path, Utf8LineReader reader)
    {
        Path = path;
        _reader = reader;
        string? header;
        do
        {
            try
            {
                header = _reader.TryReadLine(out var line) ? Encoding.UTF8.GetString(line) : null;
            }
            catch (Exception e) when (TextLines.IsDamage(e))
            {
                // gzip magic with something else behind it, a cut gzip, an endless line: a format error like any other, not a crash.
                throw Error(TextLines.Problem(e), line: LineNumber + 1, e);
            }
            LineNumber++;
        } while (header is not null && string.IsNullOrWhiteSpace(header));
        if (header is null) throw Error("empty file: no header row", line: 1);

        Header = Split(header);
        for (var i = 0; i < Header.Length; i++)
        {
            if (Header[i].Length == 0) throw Error($"column {i + 1} of the header has no name");
            if (!_columns.TryAdd(Header[i], i)) throw Error($"column '{Header[i]}' appears twice in the header");
        }
        _starts = new int[Header.Length];
        _ends = new int[Header.Length];
        _unitByName = Array.ConvertAll(Header, UnitOfName);
    }

    public string Path { get; }
    public string[] Header { get; }
    /// <summary>1-based number of the line last read.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Opens a CSV file, gzip or plain (told by the magic bytes: <see cref="TextLines.Open"/>).</summary>
    public static CsvFile Open(string path)
    {
        var reader = TextLines.OpenUtf8Lines(path);
        try
        {
            return new CsvFile(path, reader);
        }
        catch
        {
            reader.Dispose(); // a bad header closes the file
            throw;
        }
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>Index of the first of <paramref name="names"/> present in the header, or -1.</summary>
    public int Find(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
            if (_columns.TryGetValue(name, out var i)) return i;
        return -1;
    }

    /// <summary>Like <see cref="Find"/> but a missing column is a format error.</summary>
    public int Require(string what, params ReadOnlySpan<string> names)
    {
        var i = Find(names);
        if (i >= 0) return i;
        throw Error($"missing column {what} (expected one of: {string.Join(", ", names.ToArray())}); header has: {string.Join(", ", Header)}", line: 1);
    }

    /// <summary>
    /// Moves to the next data row; false at the end. A row with the wrong number of fields is an error. The fields are read
    /// with <see cref="Field"/> until the next call.
    /// </summary>
    public bool ReadRow()
    {
        while (true)
        {
            ReadOnlySpan<byte> line;
            try
            {
                if (!_reader.TryReadLine(out line)) return false;
            }
            catch (Exception e) when (TextLines.IsDamage(e))
            {
                throw Error(TextLines.Problem(e), line: LineNumber + 1, e);
            }
            LineNumber++;
            // A row with a quote, or with a character beyond ASCII (Unicode white space trims a field), is read as text.
            // (Two searches the runtime has compiled ahead: a SearchValues runs unoptimized code for the first rows.)
            if (line.Contains((byte)'"') || !Ascii.IsValid(line))
            {
                if (ReadDecoded(Encoding.UTF8.GetString(line))) return true;
                continue;
            }
            if (IsBlank(line)) continue;
            var count = Header.Length;
            var from = 0;
            for (var i = 0; i < count; i++)
            {
                var comma = line[from..].IndexOf((byte)',');
                if ((comma < 0) != (i == count - 1))
                    throw Error($"expected {Header.Length} fields as in the header, found {line.Count((byte)',') + 1}");
                var to = comma < 0 ? line.Length : from + comma;
                var start = from;
                while (start < to && IsWhite(line[start])) start++;
                while (to > start && IsWhite(line[to - 1])) to--;
                _starts[i] = start;
                _ends[i] = to;
                from += comma + 1;
            }
            _decodedRow = false;
            return true;
        }
    }

    /// <summary>
    /// A row with quotes or characters beyond ASCII, read as text as the file's characters (Unicode white space trims a
    /// field); its fields are then kept as UTF-8 again, one after the other. False for a blank line.
    /// </summary>
    private bool ReadDecoded(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        string[] fields;
        if (text.Contains('"'))
        {
            fields = Split(text);
            if (fields.Length != Header.Length)
                throw Error($"expected {Header.Length} fields as in the header, found {fields.Length}");
        }
        else
        {
            var count = text.AsSpan().Count(',') + 1;
            if (count != Header.Length)
                throw Error($"expected {Header.Length} fields as in the header, found {count}");
            fields = text.Split(',');
            for (var i = 0; i < fields.Length; i++) fields[i] = fields[i].Trim();
        }
        var length = 0;
        foreach (var field in fields) length += Encoding.UTF8.GetByteCount(field);
        if (_decoded.Length < length) _decoded = new byte[Math.Max(length, 2 * _decoded.Length)];
        var at = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            _starts[i] = at;
            at += Encoding.UTF8.GetBytes(fields[i], _decoded.AsSpan(at));
            _ends[i] = at;
        }
        _decodedRow = true;
        return true;
    }

    /// <summary>White space as <see cref="char.IsWhiteSpace(char)"/> has it among the ASCII characters (the only ones here), as bits.</summary>
    private static readonly ulong WhiteBelow64 = AsciiWhiteSpace(0);
    private static readonly ulong WhiteFrom64 = AsciiWhiteSpace(64);

    // A loop rather than LINQ: generic code over value types would be compiled at start-up in every short process.
    private static ulong AsciiWhiteSpace(int from)
    {
        var bits = 0UL;
        for (var c = 0; c < 64; c++)
            if (char.IsWhiteSpace((char)(from + c))) bits |= 1UL << c;
        return bits;
    }

    private static bool IsWhite(byte b) => b < 64 ? (WhiteBelow64 >> b & 1) != 0 : b < 128 && (WhiteFrom64 >> (b - 64) & 1) != 0;

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
            if (!IsWhite(b)) return false;
        return true;
    }

    /// <summary>A field of the current row as UTF-8, trimmed of white space.</summary>
    public ReadOnlySpan<byte> Field(int column) =>
        (_decodedRow ? _decoded.AsSpan() : _reader.Line)[_starts[column].._ends[column]];

    /// <summary>A field of the current row as text.</summary>
    public string Text(int column) => Encoding.UTF8.GetString(Field(column));

    public decimal Decimal(int column)
    {
        if (DecimalText.TryParse(Field(column), out var value)) return value;
        throw Error($"{Header[column]} '{Text(column)}' is not a number");
    }

    public long Long(int column)
    {
        var text = Field(column);
        if (Ascii.IsValid(text) ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                                : long.TryParse(Text(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            return value;
        throw Error($"{Header[column]} '{Text(column)}' is not an integer");
    }

    /// <summary>
    /// A UTC time from epoch digits or ISO-8601 text. The unit of epoch values comes from the column
    /// name suffix (_s, _ms, _us, _ns) or, without one, from the magnitude (seconds below 1e11,
    /// milliseconds below 1e14, microseconds below 1e17, nanoseconds above).
    /// </summary>
    public DateTime Time(int column)
    {
        var text = Field(column);
        var name = Header[column];
        DateTime time;
        if (WholeEpochTicks(text, _unitByName[column]) is { } ticks)
            time = DateTime.UnixEpoch.AddTicks(ticks);
        else if (DecimalText.TryParse(text, out var epoch))
        {
            var ticksPerUnit = _unitByName[column] is var unit and not 0m ? unit : UnitOfMagnitude(Math.Abs(epoch));
            // Compared before multiplying: a 26-digit epoch times ticks per unit does not fit a decimal.
            if (epoch < 0 || epoch > (DomainLimits.MaxTime - DateTime.UnixEpoch).Ticks / ticksPerUnit)
                throw Error($"{name} '{DisplayText.Printable(Text(column), 40)}' is outside the market times HEAN reads ({DomainLimits.MinTime:yyyy} to {DomainLimits.MaxTime:yyyy})");
            time = DateTime.UnixEpoch.AddTicks((long)(epoch * ticksPerUnit));
        }
        else if (TryParseIso(text, out var parsed))
            time = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        else throw Error($"{name} '{DisplayText.Printable(Text(column), 40)}' is neither an epoch number nor an ISO-8601 time");
        if (DomainLimits.TimeProblem(time) is { } problem) throw Error($"{name}: {problem}");
        return time;
    }

    /// <summary>
    /// The ticks since the epoch of a time in whole seconds, milliseconds or microseconds written as plain digits (what
    /// files hold), as the decimal reading in <see cref="Time"/> gives them; null for anything else (nanoseconds, a
    /// fraction, a sign, beyond the latest time), which that reading takes.
    /// </summary>
    private static long? WholeEpochTicks(ReadOnlySpan<byte> text, decimal unitByName)
    {
        if (text.Length is 0 or > 18) return null;
        long epoch = 0;
        foreach (var b in text)
        {
            var digit = (uint)(b - '0');
            if (digit > 9) return null;
            epoch = epoch * 10 + digit;
        }
        // The unit by name is 0.01 (nanoseconds), 10, 10,000 or 10,000,000 ticks; by magnitude as UnitOfMagnitude.
        var ticksPerUnit = unitByName != 0m
            ? unitByName < 1m ? 0L : (long)unitByName
            : epoch switch
            {
                < 100_000_000_000L => TimeSpan.TicksPerSecond,
                < 100_000_000_000_000L => TimeSpan.TicksPerMillisecond,
                < 100_000_000_000_000_000L => 10L,
                _ => 0L,
            };
        if (ticksPerUnit == 0 || epoch > MaxEpochTicks / ticksPerUnit) return null;
        return epoch * ticksPerUnit;
    }

    /// <summary>ISO-8601 (or any text <see cref="DateTime.TryParse(ReadOnlySpan{char}, IFormatProvider?, DateTimeStyles, out DateTime)"/> takes), decoded on the stack.</summary>
    private static bool TryParseIso(ReadOnlySpan<byte> utf8, out DateTime time)
    {
        const DateTimeStyles utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (utf8.Length > 128) return DateTime.TryParse(Encoding.UTF8.GetString(utf8), CultureInfo.InvariantCulture, utc, out time);
        Span<char> chars = stackalloc char[utf8.Length];
        return DateTime.TryParse(chars[..Encoding.UTF8.GetChars(utf8, chars)], CultureInfo.InvariantCulture, utc, out time);
    }

    private static readonly long MaxEpochTicks = (DomainLimits.MaxTime - DateTime.UnixEpoch).Ticks;

    /// <summary>A price within <see cref="DomainLimits"/>, or an error naming the file, line and column.</summary>
    public decimal Price(int column)
    {
        // Plain digits whose count and scale alone put them inside the limits need no decimal comparison; the rest are
        // compared (and refused) as always.
        if (DecimalText.TryParsePlain(Field(column), out var mantissa, out var scale) && PlainPriceWithinLimits(mantissa, scale))
            return DecimalText.Of(mantissa, scale);
        var price = Decimal(column);
        return DomainLimits.PriceProblem(price) is { } problem ? throw Error($"{Header[column]}: {problem}") : price;
    }

    /// <summary>A quantity within <see cref="DomainLimits"/> (zero allowed for volumes), or an error naming the file, line and column.</summary>
    public decimal Quantity(int column, bool zeroAllowed = false)
    {
        if (DecimalText.TryParsePlain(Field(column), out var mantissa, out var scale) && (mantissa != 0 || zeroAllowed) &&
            PlainQuantityWithinLimit(mantissa, scale))
            return DecimalText.Of(mantissa, scale);
        var quantity = Decimal(column);
        return DomainLimits.QuantityProblem(quantity, zeroAllowed) is { } problem ? throw Error($"{Header[column]}: {problem}") : quantity;
    }

    /// <summary>mantissa × 10^-scale is at least <see cref="DomainLimits.MinPrice"/> (10^-12) and at most <see cref="DomainLimits.MaxPrice"/> (10^9).</summary>
    private static bool PlainPriceWithinLimits(ulong mantissa, int scale) =>
        LimitsArePowersOf10 && mantissa != 0 && (scale <= 12 || mantissa >= PowersOf10[scale - 12]) && (scale + 9 > 19 || mantissa <= PowersOf10[scale + 9]);

    /// <summary>mantissa × 10^-scale is at most <see cref="DomainLimits.MaxQuantity"/> (10^12).</summary>
    private static bool PlainQuantityWithinLimit(ulong mantissa, int scale) => LimitsArePowersOf10 && (scale + 12 > 19 || mantissa <= PowersOf10[scale + 12]);

    // The limits the digit checks above assume; with other limits every value is compared as a decimal.
    private static readonly bool LimitsArePowersOf10 =
        DomainLimits.MinPrice == 0.000000000001m && DomainLimits.MaxPrice == 1_000_000_000m && DomainLimits.MaxQuantity == 1_000_000_000_000m;

    private static readonly ulong[] PowersOf10 =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
        1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    private static decimal UnitOfName(string column)
    {
        var name = column.ToLowerInvariant();
        if (name.EndsWith("_ns")) return 0.01m;
        if (name.EndsWith("_us")) return 10m;
        if (name.EndsWith("_ms")) return TimeSpan.TicksPerMillisecond;
        if (name.EndsWith("_s") || name.EndsWith("_sec")) return TimeSpan.TicksPerSecond;
        return 0m;
    }

    private static decimal UnitOfMagnitude(decimal magnitude) => magnitude switch
    {
        < 1e11m => TimeSpan.TicksPerSecond,
        < 1e14m => TimeSpan.TicksPerMillisecond,
        < 1e17m => 10m,
        _ => 0.01m,
    };

    public MarketDataFormatException Error(string problem, int? line = null, Exception? inner = null) =>
        new(Path, line ?? LineNumber, problem, inner);

    public void Dispose() => _reader.Dispose();

    private static string[] Split(string line)
    {
        if (!line.Contains('"'))
        {
            var parts = line.Split(',');
            for (var i = 0; i < parts.Length; i++) parts[i] = parts[i].Trim();
            return parts;
        }

        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(current.ToString().Trim()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString().Trim());
        return fields.ToArray();
    }
}
