using System.Diagnostics;
using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
using System.Globalization;
using Akka.Streams;
using Akka.Streams.Stage;
using Hean.Core.Domain;
using Hean.Core.Models;
using Hean.Core.Strategy;
using Hean.Streams.MarketData;

namespace Hean.Streams.Inference;

/// <summary>
/// Model inference in the market graph. A step without a <see cref="MarketStep.Decision"/> passes
/// through. At a decision the promoted model predicts on an <see cref="InferencePool"/> thread; the
/// stage takes a fast answer on its own thread (bounded spin, no allocation, no timer), otherwise it
/// suspends — it neither pulls nor blocks a thread, which is backpressure — and resumes on the answer
/// or on the timeout (ML_INFERENCE_TIMEOUT). On a failure or a timeout the previous version predicts
/// (flagged fallback); consecutive failures of the promoted model open the <see cref="InferenceBreaker"/>,
/// and while it is open the technical strategy decides alone. The <see cref="MlStrategy"/> turns the
/// answer (or its absence) into the step's signal, and the step carries the ML_PREDICTION.
/// With a catalog, the stage polls the promoted version and swaps models between two decisions, so
/// every decision is made by exactly one version and none is lost or made twice. One decision is in
/// flight at a time: decisions keep their order.
/// </summary>
public sealed class InferenceStage : GraphStage<FlowShape<MarketStep, MarketStep>>
{
    private readonly MlGraphSettings _settings;

    public InferenceStage(MlGraphSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (settings.Inference.Problems().FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(settings));
        Shape = new FlowShape<MarketStep, MarketStep>(In, Out);
    }

    public Inlet<MarketStep> In { get; } = new("inference.in");
    public Outlet<MarketStep> Out { get; } = new("inference.out");
    public override FlowShape<MarketStep, MarketStep> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed record SwapResult(LoadedModels? Models, string? Error);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string TimeoutKey = "timeout", PollKey = "poll";
        private readonly InferenceStage _stage;
        private readonly MlGraphSettings _s;
        private readonly IInferenceObserver _observer;
        private readonly Dictionary<Symbol, MlStrategy> _strategies = new();
        private readonly long _spinTicks;
        private LoadedModels _models;
        private InferenceBreaker _breaker = InferenceBreaker.Closed;
        private PredictionCall _call = null!;
        private Action<PredictionCall> _answered = null!;
        private Action<SwapResult> _swapped = null!;
        private MarketStep? _pending;
        private bool _fallbackAttempt, _polling, _upstreamDone;

        public Logic(InferenceStage stage) : base(stage.Shape)
        {
            _stage = stage;
            _s = stage._settings;
            _observer = _s.Observer;
            _models = _s.Models;
            _spinTicks = (long)(_s.Inference.SpinBudget.TotalSeconds * Stopwatch.Frequency);
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () =>
            {
                if (_pending is null) CompleteStage();
                else _upstreamDone = true;
            });
            SetHandler(stage.Out, onPull: () =>
            {
                if (_pending is null && !HasBeenPulled(stage.In) && !IsClosed(stage.In)) Pull(stage.In);
            });
        }

        public override void PreStart()
        {
            _answered = GetAsyncCallback<PredictionCall>(call =>
            {
                if (!ReferenceEquals(call, _call) || _pending is null) return;
                CancelTimer(TimeoutKey);
                OnAnswer(call);
            });
            _swapped = GetAsyncCallback<SwapResult>(OnSwapped);
            _call = new PredictionCall(a => _answered(a));
            if (_s.Catalog is not null) ScheduleRepeatedly(PollKey, _s.Inference.PollEvery);
        }

        private void OnPush()
        {
            var step = Grab(_stage.In);
            if (step.Decision is not { } d)
            {
                // An aligning signal of the technical strategy (trading starts, or features still warm up):
                // the position follows it, so the ML strategy starts from it.
                if (step.Signal is { } signal) Strategy(signal.Symbol).Follow(signal.Direction);
                Push(_stage.Out, step);
                return;
            }
            _pending = step;
            _fallbackAttempt = false;
            var now = _breaker.At(d.Time, _s.Inference.BreakerReset);
            if (now.State != _breaker.State)
            {
                _breaker = now;
                _observer.BreakerChanged(now.State, "reset time passed: one try");
            }
            if (!_breaker.Allows)
            {
                Complete(null);
                return;
            }
            Begin(_models.Current);
        }

        private void Begin(IPredictor model)
        {
            if (_s.Inference.Mode == InferenceMode.Auto && model is IBoundedPredictor)
            {
                PredictInPlace(model);
                return;
            }
            _call.Start(model, _pending!.Decision!.Features, _s.Pool);
            if (_call.AwaitBriefly(_spinTicks)) OnAnswer(_call);
            else ScheduleOnce(TimeoutKey, _s.Inference.Timeout);
        }

        protected override void OnTimer(object timerKey)
        {
            if (PollKey.Equals(timerKey))
            {
                Poll();
                return;
            }
            if (_pending is null || !_call.Abandon()) return; // the answer is already on its way
            var model = _call.Model;
            _call = new PredictionCall(a => _answered(a)); // the abandoned one may still be running
            _s.Pool.ReplaceStuckWorker();
            Failed(model, timedOut: true, string.Create(CultureInfo.InvariantCulture, $"no answer within {_s.Inference.Timeout.TotalMilliseconds:0.###} ms"));
        }

        /// <summary>
        /// A bounded model predicts here, on the stage's thread: it cannot hang, and the hand-off to an
        /// inference thread and back would cost more than the prediction. An answer later than the timeout
        /// (the thread was preempted) counts as a timeout, as it would on the threads.
        /// </summary>
        private void PredictInPlace(IPredictor model)
        {
            var started = Stopwatch.GetTimestamp();
            Prediction result = default;
            Exception? error = null;
            try
            {
                result = model.Predict(_pending!.Decision!.Features.Values);
            }
            catch (Exception e)
            {
                error = e;
            }
            var latency = Stopwatch.GetElapsedTime(started);
            if (error is null && latency > _s.Inference.Timeout)
            {
                Failed(model, timedOut: true, string.Create(CultureInfo.InvariantCulture,
                    $"answered in {latency.TotalMilliseconds:0.###} ms, over {_s.Inference.Timeout.TotalMilliseconds:0.###} ms"));
                return;
            }
            Answered(model, error, result, started);
        }

        private void OnAnswer(PredictionCall call)
        {
            var (model, error, result, started) = (call.Model, call.Error, call.Result, call.Started);
            call.Release();
            Answered(model, error, result, started);
        }

        private void Answered(IPredictor model, Exception? error, Prediction result, long started)
        {
            // In the graph: from handing the features over to the stage holding the answer.
            var latency = (double)(Stopwatch.GetTimestamp() - started) / Stopwatch.Frequency;
            if (error is not null)
            {
                Failed(model, timedOut: false, error.GetType().Name + ": " + error.Message);
                return;
            }
            if (!double.IsFinite(result.Score) || !double.IsFinite(result.Confidence))
            {
                Failed(model, timedOut: false, "the prediction is not a number");
                return;
            }
            var d = _pending!.Decision!;
            if (!_fallbackAttempt)
            {
                if (_breaker.State != BreakerState.Closed) _observer.BreakerChanged(BreakerState.Closed, $"model {model.Info.Version} answered");
                _breaker = _breaker.OnSuccess();
            }
            var expired = model.Info.ExpiresAt is { } expires && d.Time >= expires;
            Complete(new MlPrediction(_pending.Event.Symbol, d.Time, model.Info.Version, result.Raw, result.Score, result.Confidence,
                latency, _fallbackAttempt, expired));
        }

        private void Failed(IPredictor model, bool timedOut, string reason)
        {
            _observer.Failed(model.Info.Version, timedOut, reason);
            if (!_fallbackAttempt)
            {
                var before = _breaker.State;
                _breaker = _breaker.OnFailure(_pending!.Decision!.Time, _s.Inference.BreakerFailures);
                if (_breaker.State == BreakerState.Open && before != BreakerState.Open)
                    _observer.BreakerChanged(BreakerState.Open, $"{_breaker.Failures} consecutive failures of {model.Info.Version}, last: {reason}");
                if (_models.Previous is { } previous)
                {
                    _fallbackAttempt = true;
                    Begin(previous);
                    return;
                }
            }
            Complete(null);
        }

        private void Complete(MlPrediction? prediction)
        {
            var step = _pending!;
            _pending = null;
            var d = step.Decision!;
            var signal = Strategy(step.Event.Symbol).OnDecision(new MlDecision(d.Time, d.ReferencePrice, d.Features,
                prediction is null ? null : new Prediction(prediction.Raw, prediction.Score, prediction.Confidence),
                prediction?.ModelVersion, d.TechnicalView, d.TechnicalConfidence));
            if (signal is not null) signal = signal with { Volatility = d.Volatility };
            if (prediction is not null) _observer.Predicted(prediction);
            Push(_stage.Out, step with { Signal = signal, Prediction = prediction });
            if (_upstreamDone) CompleteStage();
        }

        private MlStrategy Strategy(Symbol symbol)
        {
            if (!_strategies.TryGetValue(symbol, out var strategy))
            {
                strategy = new MlStrategy(symbol, _s.Schema, _s.Strategy);
                _strategies[symbol] = strategy;
            }
            return strategy;
        }

        private void Poll()
        {
            if (_polling) return;
            _polling = true;
            var catalog = _s.Catalog!;
            var current = _models.Current.Info.Version;
            var schema = _s.Schema;
            // Reading the pointer and loading a model is I/O: off the graph's thread.
            Task.Run(() =>
            {
                try
                {
                    var promoted = catalog.PromotedVersion();
                    return promoted is null || promoted == current ? new SwapResult(null, null) : new SwapResult(ModelLoading.LoadChecked(catalog, schema), null);
                }
                catch (Exception e)
                {
                    return new SwapResult(null, e.Message);
                }
            }).ContinueWith(t => _swapped(t.Result), TaskScheduler.Default);
        }

        private void OnSwapped(SwapResult result)
        {
            _polling = false;
            if (result.Error is { } error)
            {
                _observer.SwapFailed(error);
                return;
            }
            if (result.Models is not { } loaded || loaded.Current.Info.Version == _models.Current.Info.Version) return;
            var from = _models.Current.Info.Version;
            _models = loaded;
            if (_breaker.State != BreakerState.Closed) _observer.BreakerChanged(BreakerState.Closed, $"model {loaded.Current.Info.Version} promoted");
            _breaker = InferenceBreaker.Closed;
            _observer.Swapped(from, loaded.Current.Info.Version);
        }
    }
}
