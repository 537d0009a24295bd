using System.Text.Json;
using Hean.Bybit.Rest;

namespace Hean.Bybit.Tests;

public class BybitErrorsTests
{
    [Theory]
    [InlineData(0, BybitOutcome.Ok)]
    [InlineData(110043, BybitOutcome.Ok)]          // leverage not modified
    [InlineData(10001, BybitOutcome.Rejected)]
    [InlineData(10002, BybitOutcome.Rejected)]
    [InlineData(10004, BybitOutcome.Rejected)]
    [InlineData(110007, BybitOutcome.Rejected)]
    [InlineData(110017, BybitOutcome.Rejected)]
    [InlineData(110001, BybitOutcome.Rejected)]
    [InlineData(10006, BybitOutcome.RateLimited)]
    [InlineData(10429, BybitOutcome.RateLimited)]
    [InlineData(10016, BybitOutcome.Ambiguous)]   // internal error: the order may exist
    [InlineData(10000, BybitOutcome.Ambiguous)]
    [InlineData(110079, BybitOutcome.Ambiguous)]  // being processed
    [InlineData(110072, BybitOutcome.Ambiguous)]  // duplicate orderLinkId: an earlier send may have placed it
    [InlineData(170146, BybitOutcome.Ambiguous)]  // spot creation timed out
    [InlineData(999999, BybitOutcome.Ambiguous)]  // unknown code
    [InlineData(-1, BybitOutcome.Ambiguous)]
    public void RetCodes_map_to_outcomes(int retCode, BybitOutcome expected) =>
        Assert.Equal(expected, BybitErrors.Classify(retCode).Outcome);

    [Theory]
    [InlineData(403, BybitOutcome.RateLimited)]
    [InlineData(429, BybitOutcome.RateLimited)]
    [InlineData(404, BybitOutcome.Rejected)]
    [InlineData(502, BybitOutcome.Ambiguous)]
    [InlineData(504, BybitOutcome.Ambiguous)]
    public void Http_statuses_map_to_outcomes(int status, BybitOutcome expected) =>
        Assert.Equal(expected, BybitErrors.ClassifyHttp(status).Outcome);

    /// <summary>The shared table's handling classes agree with our outcomes for every code it lists.</summary>
    [SkippableFact]
    public void The_shared_error_table_agrees()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.SharedBybitDir!, "errors", "error_codes.json")));
        var codes = doc.RootElement.GetProperty("codes").EnumerateArray().ToList();
        Assert.True(codes.Count >= 50);
        foreach (var c in codes)
        {
            var code = c.GetProperty("retCode").GetInt32();
            var handling = c.GetProperty("handling").GetString();
            var expected = handling switch
            {
                "ok" or "not_modified_ok" => BybitOutcome.Ok,
                "rate_limit_backoff" => BybitOutcome.RateLimited,
                "transient_retry" or "duplicate_check_state" => BybitOutcome.Ambiguous,
                _ => BybitOutcome.Rejected,
            };
            // "order state unknown" codes listed under reconcile are the one exception: never call them rejected.
            if (c.GetProperty("meaning").GetString()!.Contains("state unknown", StringComparison.Ordinal)) expected = BybitOutcome.Ambiguous;
            Assert.True(expected == BybitErrors.Classify(code).Outcome, $"retCode {code} ({handling}): expected {expected}, got {BybitErrors.Classify(code).Outcome}");
            Assert.NotEqual(Rest.BybitErrorKind.UnknownCode, BybitErrors.Classify(code).Kind);
        }
    }
}

public class RetryOutcomeTests
{
    [Theory]
    [InlineData(BybitOutcome.Rejected, false, BybitOutcome.Rejected)]
    [InlineData(BybitOutcome.Rejected, true, BybitOutcome.Ambiguous)]     // e.g. 110007 on the retry of a create that timed out
    [InlineData(BybitOutcome.RateLimited, true, BybitOutcome.Ambiguous)]
    [InlineData(BybitOutcome.RateLimited, false, BybitOutcome.RateLimited)]
    [InlineData(BybitOutcome.Ok, true, BybitOutcome.Ok)]                  // success proves the order is there (once)
    public void A_rejection_after_an_ambiguous_attempt_stays_ambiguous(BybitOutcome last, bool earlierAmbiguous, BybitOutcome expected)
    {
        var r = BybitRestClient.Finish(last, BybitErrorKind.InsufficientFunds, 110007, "ab not enough", "value", 2, earlierAmbiguous);
        Assert.Equal(expected, r.Outcome);
        Assert.Equal(expected == BybitOutcome.Ok, r.Value is not null);
    }
}
