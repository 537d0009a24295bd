using Hean.Core.Orders;
using Prometheus;

namespace Hean.Actors.Monitoring;

/// <summary>The Prometheus metrics of HEAN, with the seed's names.</summary>
public static class HeanMetrics
{
    public static readonly Counter OrdersTotal = Metrics.CreateCounter("hean_orders_total", "Total orders placed",
        new CounterConfiguration { LabelNames = ["symbol", "side", "type"] });

    public static readonly Counter FillsTotal = Metrics.CreateCounter("hean_fills_total", "Fills booked",
        new CounterConfiguration { LabelNames = ["symbol", "liquidity"] });

    public static readonly Gauge Pnl = Metrics.CreateGauge("hean_pnl", "Current P&L (USDT, after fees, including unrealized)");

    public static readonly Gauge Equity = Metrics.CreateGauge("hean_equity", "Account equity (USDT)");

    public static readonly Gauge Position = Metrics.CreateGauge("hean_position", "Net position (base quantity, signed)",
        new GaugeConfiguration { LabelNames = ["symbol"] });

    public static readonly Histogram Latency = Metrics.CreateHistogram("hean_latency_seconds", "Processing latency",
        new HistogramConfiguration
        {
            LabelNames = ["stage"],
            // Bounds at the targets (tick → signal 100 µs, signal → order 5 ms), so "p99 within target" is exact.
            Buckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        });

    /// <summary>
    /// signal_to_order: an order goes on the wire (the gateway hands it to the venue) <paramref name="signalAt"/> (a
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp taken when the strategy made the signal) after its signal.
    /// Orders without a signal behind them (algorithm children, operator orders, the kill switch's) are not observed.
    /// </summary>
    public static void OrderOnTheWire(long? signalAt)
    {
        if (signalAt is { } t) Latency.WithLabels("signal_to_order").Observe(System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalSeconds);
    }

    /// <summary>SQLite's WAL checkpoints, run off the journal's writes (<see cref="Persistence.WalCheckpointer"/>).</summary>
    public static readonly Histogram WalCheckpoint = Metrics.CreateHistogram("hean_sqlite_checkpoint_seconds",
        "Duration of the SQLite journal's and snapshot store's WAL checkpoints, run off the writers' path once a second",
        new HistogramConfiguration { Buckets = [0.001, 0.005, 0.025, 0.1, 0.25, 1, 5] });

    public static readonly Gauge EventBusQueueSize = Metrics.CreateGauge("hean_eventbus_queue_size", "Event bus queue depth: lifecycle events waiting to be written to Redis Streams (0 without the bus)");

    public static readonly Gauge MailboxDepth = Metrics.CreateGauge("hean_mailbox_depth",
        "Messages waiting in the mailboxes of a top-level trading actor and everything under it (sampled every 5 s)",
        new GaugeConfiguration { LabelNames = ["actor"] });

    public static readonly Counter MarketEvents = Metrics.CreateCounter("hean_market_events_total", "Market events processed",
        new CounterConfiguration { LabelNames = ["type"] });

    public static readonly Counter Signals = Metrics.CreateCounter("hean_signals_total", "Strategy signals",
        new CounterConfiguration { LabelNames = ["symbol", "direction"] });

    /// <summary>One-hot enum: 1 on the current state of each breaker (prometheus-net has no Enum type).</summary>
    public static readonly Gauge CircuitBreaker = Metrics.CreateGauge("hean_circuit_breaker", "Circuit breaker state",
        new GaugeConfiguration { LabelNames = ["component", "hean_circuit_breaker"] });

    public static readonly Counter RiskRejections = Metrics.CreateCounter("hean_risk_rejections_total", "Orders rejected by risk",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Gauge TradingStateGauge = Metrics.CreateGauge("hean_trading_state", "1 on the effective trading state (active, reducing, halted)",
        new GaugeConfiguration { LabelNames = ["state"] });

    public static readonly Histogram SlippageBps = Metrics.CreateHistogram("hean_slippage_bps", "Fill price against a reference price, basis points (positive = cost)",
        new HistogramConfiguration { LabelNames = ["symbol", "reference"], Buckets = [-50, -20, -10, -5, -2, 0, 2, 5, 10, 20, 50, 100] });

    public static readonly Histogram FillRatio = Metrics.CreateHistogram("hean_fill_ratio", "Filled share of each finished order",
        new HistogramConfiguration { LabelNames = ["symbol", "type"], Buckets = [0, 0.25, 0.5, 0.75, 0.99, 1] });

    public static readonly Counter ExecutionCost = Metrics.CreateCounter("hean_execution_cost_usdt_total",
        "Realized minus expected PnL of fills: price against the arrival mid times quantity, plus fees; cost and improvement counted apart",
        new CounterConfiguration { LabelNames = ["symbol", "direction"] });

    public static readonly Gauge KillSwitch = Metrics.CreateGauge("hean_kill_switch_engaged", "1 while the kill switch is engaged");

    public static readonly Gauge DailyDrawdown = Metrics.CreateGauge("hean_daily_drawdown",
        "Fall of equity from the day's start (or the day's peak, whichever the limit uses) as a fraction, at the last checkpoint");

    public static readonly Gauge DailyDrawdownLimit = Metrics.CreateGauge("hean_daily_drawdown_limit",
        "DAILY_DRAWDOWN_LIMIT: the daily drawdown at which the kill switch engages, as a fraction");

    public static readonly Counter ReportsDropped = Metrics.CreateCounter("hean_execution_reports_dropped_total", "Venue reports not applied",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter VenueMessagesRejected = Metrics.CreateCounter("hean_venue_messages_rejected_total",
        "Venue messages refused as unreadable or impossible (a negative price, more executed than ordered, a year-9999 time), by venue and kind; the stream goes on",
        new CounterConfiguration { LabelNames = ["venue", "kind"] });

    public static readonly Counter Errors = Metrics.CreateCounter("hean_errors_total", "Errors by component",
        new CounterConfiguration { LabelNames = ["component"] });

    public static readonly Histogram ExecutionShortfallBps = Metrics.CreateHistogram("hean_execution_shortfall_bps",
        "Implementation shortfall of each finished parent order against its arrival mid, fees and unfilled opportunity included, basis points (positive = cost)",
        new HistogramConfiguration { LabelNames = ["algo"], Buckets = [-20, -10, -5, -2, 0, 2, 5, 10, 20, 50, 100] });

    public static readonly Histogram TimeToFillSeconds = Metrics.CreateHistogram("hean_time_to_fill_seconds",
        "Market time from an algorithm's start to the last fill of its completed parent order",
        new HistogramConfiguration { LabelNames = ["algo"], Buckets = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] });

    public static readonly Histogram MlInferenceLatency = Metrics.CreateHistogram("hean_ml_inference_latency_seconds",
        "Wall time of one model prediction in the stream graph, from the stage handing the features to an inference thread to the stage holding the answer",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000001, 2, 18) });

    public static readonly Counter MlPredictions = Metrics.CreateCounter("hean_ml_predictions_total", "ML_PREDICTION events",
        new CounterConfiguration { LabelNames = ["model"] });

    public static readonly Counter MlFallbacks = Metrics.CreateCounter("hean_ml_fallbacks_total",
        "Predictions made by the previous model version because the promoted one failed or timed out");

    public static readonly Counter MlFailures = Metrics.CreateCounter("hean_ml_failures_total", "Model predictions that failed",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter MlExpiredPredictions = Metrics.CreateCounter("hean_ml_expired_predictions_total",
        "Predictions made by a model past its expiry");

    public static readonly Counter EventBusPublished = Metrics.CreateCounter("hean_event_bus_events_total", "Lifecycle events taken into the Redis Streams bus buffer",
        new CounterConfiguration { LabelNames = ["type"] });

    public static readonly Counter EventBusDropped = Metrics.CreateCounter("hean_event_bus_dropped_total",
        "Lifecycle events not written to the Redis Streams bus (full: the buffer was full; redis: the write failed)",
        new CounterConfiguration { LabelNames = ["reason"] });
    public static readonly Counter Reconciliations = Metrics.CreateCounter("hean_reconciliations_total",
        "Reconciliation passes against the venue (on start, after a private-stream reconnect, periodic) by outcome",
        new CounterConfiguration { LabelNames = ["trigger", "outcome"] });

    public static readonly Counter ReconciliationDiscrepancies = Metrics.CreateCounter("hean_reconciliation_discrepancies_total",
        "Disagreements found by reconciliation: position_mismatch, missing_at_venue, unknown_at_venue",
        new CounterConfiguration { LabelNames = ["kind"] });

    public static readonly Counter Notifications = Metrics.CreateCounter("hean_notifications_total",
        "Notifications by channel (webhook, telegram) and result: sent, failed (after retries), dropped (queue full)",
        new CounterConfiguration { LabelNames = ["channel", "result"] });

    public static readonly Counter NotificationsSuppressed = Metrics.CreateCounter("hean_notifications_suppressed_total",
        "Notifications held back by NOTIFY_RATE_PER_MINUTE (critical ones never are)");

    public static readonly Counter AlgoChoices = Metrics.CreateCounter("hean_algo_choices_total",
        "Execution algorithms started, by the algorithm asked for and the one chosen (the smart router's choice)",
        new CounterConfiguration { LabelNames = ["requested", "chosen"] });

    /// <summary>The latency stages: the wall time from a market event to its signal, from a signal to its order with the venue, and from
    /// an order's submission to the venue's first answer.</summary>
    public static readonly IReadOnlyList<string> LatencyStages = ["tick_to_signal", "signal_to_order", "order_to_ack"];

    /// <summary>
    /// Creates the labelled series that have a fixed set of labels, so that a dashboard shows 0 (or an empty histogram)
    /// from the start instead of "no data" until the first event.
    /// </summary>
    public static void ExportAtZero(IEnumerable<string> symbols)
    {
        foreach (var stage in LatencyStages) Latency.WithLabels(stage);
        foreach (var component in new[] { "execution", "feed", "journal" }) Errors.WithLabels(component);
        foreach (var reason in new[] { "duplicate", "overfill", "unknown_order", "held" }) ReportsDropped.WithLabels(reason);
        foreach (var code in Hean.Core.Risk.RiskRejection.ReasonCodes) RiskRejections.WithLabels(code);
        MarketEvents.WithLabels("all");
        foreach (var reason in new[] { "timeout", "error" }) MlFailures.WithLabels(reason);
        foreach (var type in Events.BusEventTypes.All) EventBusPublished.WithLabels(type);
        foreach (var reason in new[] { "full", "redis" }) EventBusDropped.WithLabels(reason);
        foreach (var kind in new[] { VenueDiscrepancy.PositionMismatch, VenueDiscrepancy.MissingAtVenue, VenueDiscrepancy.UnknownAtVenue })
            ReconciliationDiscrepancies.WithLabels(kind);
        foreach (var trigger in new[] { "start", "periodic" })
        foreach (var outcome in new[] { "clean", "discrepancies", "failed" })
            Reconciliations.WithLabels(trigger, outcome);
        foreach (var symbol in symbols)
        {
            foreach (var side in new[] { "buy", "sell" })
            foreach (var type in new[] { "market", "limit" })
                OrdersTotal.WithLabels(symbol, side, type);
            foreach (var liquidity in new[] { "maker", "taker" }) FillsTotal.WithLabels(symbol, liquidity);
            foreach (var direction in new[] { "long", "short" }) Signals.WithLabels(symbol, direction);
            foreach (var direction in new[] { "cost", "improvement" }) ExecutionCost.WithLabels(symbol, direction);
            Position.WithLabels(symbol); // 0 until the portfolio sets it (it sets recovered positions itself)
        }
    }

    /// <summary>A journal write that failed or was refused, counted as hean_errors_total{component="journal"} (the alert HeanJournalWriteFailures).</summary>
    public static void JournalFailed() => Errors.WithLabels("journal").Inc();
}
