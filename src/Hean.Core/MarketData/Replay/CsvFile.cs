using Hean.Core.Domain;
using System.Globalization;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Line-by-line reading of a comma-separated file with a header row, gzip or plain (detected by
/// the gzip magic bytes, not the file name). Fields may be double-quoted; quoted fields may not span
/// lines. Blank lines are skipped. Every error names the file and the 1-based line.
/// A row is read as ranges over its line: no string per line or field, except for a line with quotes.
/// </summary>
internal sealed class CsvFile : IDisposable
{
    private readonly TextLines.BoundedLineReader _reader;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);
    // The epoch unit each column's name gives (_s, _ms, _us, _ns), 0 when the magnitude decides.
    private readonly decimal[] _unitByName;
    private ReadOnlyMemory<char> _row;
    private readonly Range[] _fields;

    private CsvFile(string path, TextLines.BoundedLineReader reader)
    {
        Path = path;
        _reader = reader;
        string? header;
        do
        {
            try
            {
                header = _reader.ReadLine();
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
        _fields = new Range[Header.Length];
        _unitByName = Array.ConvertAll(Header, UnitOfName);
    }

    public string Path { get; }
    public string[] Header { get; }
    /// <summary>1-based number of the line last read.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Opens a CSV file, gzip or plain (told by the magic bytes: <see cref="TextLines.Open"/>).</summary>
    public static CsvFile Open(string path)
    {
        var reader = TextLines.OpenLines(path);
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
            ReadOnlyMemory<char> line;
            try
            {
                if (!_reader.TryReadLine(out line)) return false;
            }
            catch (Exception e) when (TextLines.IsDamage(e))
            {
                throw Error(TextLines.Problem(e), line: LineNumber + 1, e);
            }
            LineNumber++;
            var text = line.Span;
            if (text.IsWhiteSpace()) continue;
            if (text.Contains('"'))
            {
                // Rare: the fields unquoted, one after the other in a string of their own.
                var fields = Split(text.ToString());
                if (fields.Length != Header.Length)
                    throw Error($"expected {Header.Length} fields as in the header, found {fields.Length}");
                var start = 0;
                for (var i = 0; i < fields.Length; i++)
                {
                    _fields[i] = new Range(start, start + fields[i].Length);
                    start += fields[i].Length;
                }
                _row = string.Concat(fields).AsMemory();
                return true;
            }
            var count = text.Count(',') + 1;
            if (count != Header.Length)
                throw Error($"expected {Header.Length} fields as in the header, found {count}");
            var from = 0;
            for (var i = 0; i < count; i++)
            {
                var comma = text[from..].IndexOf(',');
                var to = comma < 0 ? text.Length : from + comma;
                _fields[i] = Trimmed(text, from, to);
                from = to + 1;
            }
            _row = line;
            return true;
        }
    }

    /// <summary>A field of the current row, trimmed of white space.</summary>
    public ReadOnlySpan<char> Field(int column) => _row.Span[_fields[column]];

    public decimal Decimal(int column)
    {
        var text = Field(column);
        if (DecimalText.TryParse(text, out var value)) return value;
        throw Error($"{Header[column]} '{text}' is not a number");
    }

    public long Long(int column)
    {
        var text = Field(column);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
        throw Error($"{Header[column]} '{text}' is not an integer");
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
        if (DecimalText.TryParse(text, out var epoch))
        {
            var ticksPerUnit = _unitByName[column] is var unit and not 0m ? unit : UnitOfMagnitude(Math.Abs(epoch));
            // Compared before multiplying: a 26-digit epoch times ticks per unit does not fit a decimal.
            if (epoch < 0 || epoch > (DomainLimits.MaxTime - DateTime.UnixEpoch).Ticks / ticksPerUnit)
                throw Error($"{name} '{DisplayText.Printable(text.ToString(), 40)}' is outside the market times HEAN reads ({DomainLimits.MinTime:yyyy} to {DomainLimits.MaxTime:yyyy})");
            time = DateTime.UnixEpoch.AddTicks((long)(epoch * ticksPerUnit));
        }
        else if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            time = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        else throw Error($"{name} '{DisplayText.Printable(text.ToString(), 40)}' is neither an epoch number nor an ISO-8601 time");
        if (DomainLimits.TimeProblem(time) is { } problem) throw Error($"{name}: {problem}");
        return time;
    }

    /// <summary>A price within <see cref="DomainLimits"/>, or an error naming the file, line and column.</summary>
    public decimal Price(int column)
    {
        var price = Decimal(column);
        return DomainLimits.PriceProblem(price) is { } problem ? throw Error($"{Header[column]}: {problem}") : price;
    }

    /// <summary>A quantity within <see cref="DomainLimits"/> (zero allowed for volumes), or an error naming the file, line and column.</summary>
    public decimal Quantity(int column, bool zeroAllowed = false)
    {
        var quantity = Decimal(column);
        return DomainLimits.QuantityProblem(quantity, zeroAllowed) is { } problem ? throw Error($"{Header[column]}: {problem}") : quantity;
    }

    private static Range Trimmed(ReadOnlySpan<char> text, int from, int to)
    {
        while (from < to && char.IsWhiteSpace(text[from])) from++;
        while (to > from && char.IsWhiteSpace(text[to - 1])) to--;
        return new Range(from, to);
    }

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
