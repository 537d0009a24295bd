using System.Text;
using Hean.Bybit.WebSocket;

namespace Hean.Bybit.Tests;

/// <summary>
/// Thousands of mutated messages made from the samples: the parser never throws, every message is either parsed or
/// counted as malformed, and the hostile kinds (wrong types, huge numbers, unknown topics, truncation) are refused.
/// </summary>
public class ParserFuzzTests
{
    [Fact]
    public void Mutated_messages_are_parsed_or_counted_never_thrown()
    {
        var seeds = SeedMessages();
        Assert.True(seeds.Count >= 20);
        var random = new Random(20250101);
        var parser = new BybitMessageParser();
        const int rounds = 6000;
        var malformed = 0;
        for (var i = 0; i < rounds; i++)
        {
            var mutated = Mutate(seeds[random.Next(seeds.Count)], random);
            var result = parser.Parse(mutated); // must not throw
            if (result is BybitMalformed) malformed++;
        }
        Assert.Equal(rounds, parser.ParsedCount + parser.MalformedCount);
        Assert.Equal(malformed, parser.MalformedCount);
        Assert.True(malformed > rounds / 3, $"only {malformed} of {rounds} mutations were refused");
        Assert.True(parser.ParsedCount > 100, "some mutations stay valid");
        // The parser still works after all of that.
        Assert.IsType<BybitOrderBookMessage>(parser.Parse(seeds[0]));
    }

    [Theory]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["1e400","1"]],"a":[],"u":1}}""")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["99999999999999999999999999999999","1"]],"a":[],"u":1}}""")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["100","-1"]],"a":[],"u":1}}""")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[[100,"1"]],"a":[],"u":"NaN"}}""")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"ETHUSDT","b":[],"a":[],"u":1}}""")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"sideways","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[],"u":1}}""")]
    [InlineData("""{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":{},"a":[],"u":1}}""")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Up","v":"1","p":"1","i":"x"}]}""")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","ts":1,"data":[{"T":99999999999999999,"s":"BTCUSDT","S":"Buy","v":"1","p":"1","i":"x"}]}""")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Buy","v":"0","p":"1","i":"x"}]}""")]
    [InlineData("""{"topic":"kline.7.BTCUSDT","ts":1,"data":[]}""")]
    [InlineData("""{"topic":"kline.1.BTCUSDT","ts":1,"data":[{"start":1,"interval":"1","open":"2","high":"1","low":"1","close":"1","volume":"1","confirm":true}]}""")]
    [InlineData("""{"topic":"secretAdmin.BTCUSDT","ts":1,"data":[]}""")]
    [InlineData("""{"topic":42,"data":[]}""")]
    [InlineData("""{"topic":"order","creationTime":1,"data":[{"symbol":"BTCUSDT","orderId":"1","side":"Buy","qty":"1","orderStatus":"Exploded","createdTime":"1","updatedTime":"1"}]}""")]
    [InlineData("""{"op":"subscribe"}""")]
    [InlineData("""{"op":"launch","success":true}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","ts":1,"data":[]} trailing""")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Buy","v":"1","p":"1","i":"x"}""")]
    [InlineData("")]
    [InlineData("\u0000\u0001binary")]
    public void Hostile_messages_are_malformed(string text)
    {
        var parser = new BybitMessageParser();
        Assert.IsType<BybitMalformed>(parser.Parse(text));
        Assert.Equal((0, 1), (parser.ParsedCount, parser.MalformedCount));
    }

    [Fact]
    public void Deep_nesting_and_huge_messages_are_refused()
    {
        var parser = new BybitMessageParser();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500);
        Assert.IsType<BybitMalformed>(parser.Parse(deep));
        var huge = "{\"topic\":\"publicTrade.BTCUSDT\",\"pad\":\"" + new string('x', BybitMessageParser.MaxMessageBytes) + "\"}";
        Assert.IsType<BybitMalformed>(parser.Parse(huge));
        Assert.Equal(2, parser.MalformedCount);
    }

    internal static List<string> SeedMessages()
    {
        var dirs = new[] { "ws_public", "ws_private" };
        var seeds = new List<string>();
        foreach (var root in new[] { TestData.SamplesDir, TestData.SharedBybitDir }.OfType<string>())
            foreach (var d in dirs)
            {
                var path = Path.Combine(root, d);
                if (!Directory.Exists(path)) continue;
                seeds.AddRange(Directory.GetFiles(path, "*.json").Order().Select(File.ReadAllText).Where(t => !t.Contains("\"args\"")));
            }
        seeds.AddRange(File.ReadAllLines(Path.Combine(TestData.SamplesDir, "market", "orderbook50_ETHUSDT_sample.jsonl")));
        // The first seed is a known-good book message.
        seeds.Insert(0, File.ReadAllText(Path.Combine(TestData.SamplesDir, "ws_public", "orderbook_snapshot.json")));
        return seeds;
    }

    private static readonly string[] Replacements =
    [
        "\"1e999\"", "\"-1\"", "\"\"", "null", "true", "[]", "{}", "99999999999999999999999999999999999", "\"NaN\"",
        "\"99999999999999999999999999999999\"", "-9223372036854775809", "\"\\u0000\"", "\"orderbook.50.BTCUSDT\"", "1.5e308",
    ];

    internal static string Mutate(string seed, Random random)
    {
        var s = seed;
        switch (random.Next(8))
        {
            case 0: // truncate
                return s[..random.Next(s.Length)];
            case 1: // flip one byte
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return Encoding.UTF8.GetString(bytes);
            }
            case 2: // replace a string value with something of another type
            {
                var quotes = AllIndexes(s, '"');
                if (quotes.Count < 4) return s;
                var k = random.Next(quotes.Count / 2) * 2;
                if (k + 1 >= quotes.Count) return s;
                return s[..quotes[k]] + Replacements[random.Next(Replacements.Length)] + s[(quotes[k + 1] + 1)..];
            }
            case 3: // rename the topic
                return s.Replace("\"topic\": \"", "\"topic\": \"x", StringComparison.Ordinal).Replace("\"topic\":\"", "\"topic\":\"unknown.", StringComparison.Ordinal);
            case 4: // delete a span
            {
                var from = random.Next(s.Length);
                return s.Remove(from, Math.Min(random.Next(1, 20), s.Length - from));
            }
            case 5: // blow up a number
                return System.Text.RegularExpressions.Regex.Replace(s, "\"[0-9]+(\\.[0-9]+)?\"", m => random.Next(4) == 0 ? "\"" + new string('9', 60) + "\"" : m.Value);
            case 6: // duplicate a region
            {
                var from = random.Next(s.Length);
                var len = Math.Min(random.Next(1, 40), s.Length - from);
                return s.Insert(from, s.Substring(from, len));
            }
            default: // untouched: must still parse
                return s;
        }
    }

    private static List<int> AllIndexes(string s, char c)
    {
        var result = new List<int>();
        for (var i = 0; i < s.Length; i++)
            if (s[i] == c && (i == 0 || s[i - 1] != '\\')) result.Add(i);
        return result;
    }
}
