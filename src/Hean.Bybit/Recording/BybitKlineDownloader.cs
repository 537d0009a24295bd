using System.Globalization;
using System.Text;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;

namespace Hean.Bybit.Recording;

/// <summary>
/// Klines of [from, to) over REST (<c>/v5/market/kline</c>), page by page (1000 bars a page, the most Bybit gives),
/// sorted oldest first with repeats removed; bars not yet closed at <paramref name="now"/> are left out. Works whichever
/// end of a range the venue pages from: Bybit sends the newest bars of [start, end] first.
/// </summary>
public sealed class BybitKlineDownloader(BybitRestClient client, TimeProvider? time = null)
{
    public const int PageSize = 1000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Pages requested by the last download.</summary>
    public int Pages { get; private set; }

    /// <exception cref="BybitDownloadException">The venue refused a page or did not answer.</exception>
    /// <param name="onPage">called after each page with the bars gathered so far</param>
    public async Task<IReadOnlyList<BybitKline>> DownloadAsync(string symbol, string interval, DateTime from, DateTime to, CancellationToken ct = default,
        Action<int>? onPage = null)
    {
        var length = BybitInterval.Parse(interval);
        if (to <= from) throw new ArgumentException($"--to ({to:O}) must be after --from ({from:O})");
        var bars = new SortedDictionary<DateTime, BybitKline>();
        DateTime lo = from, hi = to.AddMilliseconds(-1);
        Pages = 0;
        while (lo <= hi)
        {
            var result = await client.GetKlinesAsync(symbol, interval, lo, hi, PageSize, ct).ConfigureAwait(false);
            Pages++;
            if (result.Outcome != BybitOutcome.Ok || result.Value is null)
                throw new BybitDownloadException($"kline page {Pages} ({lo:O} .. {hi:O}) failed: {result.Kind} {result.RetCode} {result.Message}");
            var page = result.Value.Where(k => k.Start >= from && k.Start < to).OrderBy(k => k.Start).ToList();
            foreach (var k in page) bars[k.Start] = k;
            onPage?.Invoke(bars.Count);
            if (page.Count == 0 || result.Value.Count < PageSize) break;
            // A full page: ask for the part of the range it did not cover.
            if (page[0].Start > lo) hi = page[0].Start.AddMilliseconds(-1);
            else lo = page[^1].Start + length;
        }
        var now = _time.GetUtcNow().UtcDateTime;
        return bars.Values.Where(k => k.Start + length <= now).ToList();
    }

    public static string CsvHeader => "open_time_ms,open_time_utc,open,high,low,close,volume,turnover";

    /// <summary>The bars in the CSV that <c>OhlcvCsvReader</c> reads (open time in epoch ms and ISO-8601, prices as sent).</summary>
    public static void WriteCsv(IReadOnlyList<BybitKline> bars, TextWriter w)
    {
        w.Write(CsvHeader);
        w.Write('\n');
        var sb = new StringBuilder();
        foreach (var k in bars)
        {
            sb.Clear();
            sb.Append((long)(k.Start - DateTime.UnixEpoch).TotalMilliseconds).Append(',')
                .Append(k.Start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(D(k.Open)).Append(',').Append(D(k.High)).Append(',').Append(D(k.Low)).Append(',').Append(D(k.Close)).Append(',')
                .Append(D(k.Volume)).Append(',').Append(D(k.Turnover)).Append('\n');
            w.Write(sb);
        }
    }

    private static string D(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A download that the venue did not serve.</summary>
public sealed class BybitDownloadException(string message) : Exception(message);
