namespace Hean.Actors.Feed;

/// <summary>Messages of the market feed, the actor at the end of the market-data graph.</summary>
public static class FeedProtocol
{
    // The stream's acknowledged-delivery protocol (Sink.ActorRefWithAck).
    public sealed record StreamInit
    {
        public static StreamInit Instance { get; } = new();
    }

    public sealed record StreamAck
    {
        public static StreamAck Instance { get; } = new();
    }

    public sealed record StreamCompleted
    {
        public static StreamCompleted Instance { get; } = new();
    }

    public sealed record StreamFailed(Exception Cause);

    /// <summary>Stop taking market data after a final checkpoint (backpressure holds the source). Answer: <see cref="FeedStatus"/>.</summary>
    public sealed record Pause;

    public sealed record Resume;

    public sealed record GetStatus;

    public sealed record FeedStatus(
        long Events,
        long Signals,
        long Batches,
        DateTime? FirstMarketTime,
        DateTime? LastMarketTime,
        double EventsPerSecond,
        bool Paused,
        bool Completed,
        long Errors,
        string? LastError)
    {
        /// <summary>Wall time (UTC) of the last error; health shows a step error for a while, a failed stream for good.</summary>
        public DateTime? LastErrorAt { get; init; }

        /// <summary>The market-data stream itself failed: nothing more comes until a restart.</summary>
        public bool StreamFailed { get; init; }

        /// <summary>The first step error: in a backtest, the one that made its results untrustworthy.</summary>
        public string? FirstError { get; init; }
    }
}
