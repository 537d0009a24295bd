using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hean.Core.MarketData;

namespace Hean.Core.Tests.Synthetic;

/// <summary>SHA-256 over every field of a stream of market events, decimals with their trailing zeros (as the bits hold them).</summary>
internal static class StreamHash
{
    public static string Of(IEnumerable<IMarketEvent> events)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        foreach (var e in events)
        {
            line.Clear();
            line.Append(e.GetType().Name).Append(' ').Append(e.Symbol.Value).Append(' ').Append(e.Time.Ticks);
            switch (e)
            {
                case Trade t:
                    line.Append(' ').Append(D(t.Price)).Append(' ').Append(D(t.Qty)).Append(' ').Append(t.TakerSide).Append(' ').Append(t.TradeId);
                    break;
                case BookUpdate u:
                    line.Append(' ').Append(u.Sequence).Append(' ').Append(u.PrevSequence).Append(' ').Append(u.IsSnapshot);
                    foreach (var l in u.Bids) line.Append(" b").Append(D(l.Price)).Append('x').Append(D(l.Qty));
                    foreach (var l in u.Asks) line.Append(" a").Append(D(l.Price)).Append('x').Append(D(l.Qty));
                    break;
            }
            line.Append('\n');
            sha.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    private static string D(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
