using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Hean.Core.MarketData.Replay;

namespace Hean.Benchmarks;

/// <summary>
/// One number as the CSV readers parse it (<see cref="DecimalText"/>, from characters and from UTF-8 bytes) against the
/// runtime's parser with the invariant culture (the reference, the same bits), in the same run; per number, warm, over
/// the prices, volumes and epoch times of an FTX 1m row and a Coinbase 1h row.
/// dotnet tests/Hean.Benchmarks/bin/Release/net10.0/Hean.Benchmarks.dll --filter '*DecimalText*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class DecimalTextBenchmarks
{
    private static readonly string[] Texts =
    [
        "1640991660000", "46319.0", "46385.0", "46300.5", "46377.0", "2300413.7295",
        "1498906800000", "2505.56", "2513.38", "2495.12", "2509.17", "114.6", "0.00123", "287000.32",
    ];

    private readonly byte[][] _utf8 = Texts.Select(Encoding.UTF8.GetBytes).ToArray();
    // Each result is stored (not summed: a decimal addition would cost as much as a parse).
    private readonly decimal[] _values = new decimal[Texts.Length];

    [Benchmark(Baseline = true, OperationsPerInvoke = 14, Description = "decimal.Parse(string, InvariantCulture)")]
    public decimal RuntimeParse()
    {
        for (var i = 0; i < Texts.Length; i++) _values[i] = decimal.Parse(Texts[i], NumberStyles.Float, CultureInfo.InvariantCulture);
        return _values[0];
    }

    [Benchmark(OperationsPerInvoke = 14, Description = "decimal.TryParse(UTF-8, InvariantCulture)")]
    public decimal RuntimeParseUtf8()
    {
        for (var i = 0; i < _utf8.Length; i++) decimal.TryParse(_utf8[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _values[i]);
        return _values[0];
    }

    [Benchmark(OperationsPerInvoke = 14, Description = "DecimalText.TryParse(chars)")]
    public decimal Chars()
    {
        for (var i = 0; i < Texts.Length; i++) DecimalText.TryParse(Texts[i].AsSpan(), out _values[i]);
        return _values[0];
    }

    [Benchmark(OperationsPerInvoke = 14, Description = "DecimalText.TryParse(UTF-8)")]
    public decimal Utf8()
    {
        for (var i = 0; i < _utf8.Length; i++) DecimalText.TryParse(_utf8[i], out _values[i]);
        return _values[0];
    }
}
