import Contracts

/// The planners' thresholds (settings, not code).
public struct HealthThresholds: Sendable, Hashable {
    /// Actual at or above this percent of planned is ON_TRACK.
    public var onTrackPercent: Int
    /// At or above this (and below on-track) is AT_RISK; below is OFF_TRACK.
    public var atRiskPercent: Int
    /// A reject rate (reject / (good + reject)) above this percent is a warning.
    public var rejectAlertPercent: Int
    /// An SPK in progress with no input for this many whole working days is a warning.
    public var noInputWorkingDays: Int

    public init(onTrackPercent: Int = 95, atRiskPercent: Int = 80, rejectAlertPercent: Int = 5, noInputWorkingDays: Int = 2) {
        self.onTrackPercent = onTrackPercent
        self.atRiskPercent = atRiskPercent
        self.rejectAlertPercent = rejectAlertPercent
        self.noInputWorkingDays = noInputWorkingDays
    }
}

/// An SPK's planned window in days: working days, or calendar days when the window holds no working day.
public struct PlanWindow: Sendable, Hashable {
    public var start: LocalDate
    public var due: LocalDate
    public var days: Int
    public var countsCalendarDays: Bool

    public init(start: LocalDate, due: LocalDate, calendar: WorkingCalendar) {
        self.start = start
        self.due = due
        let working = calendar.workingDays(from: start, through: due)
        countsCalendarDays = working == 0
        days = working > 0 ? working : start.calendarDays(through: due)
    }

    /// Days of the window up to and including `today`, at most the whole window.
    func elapsed(today: LocalDate, calendar: WorkingCalendar) -> Int {
        let through = min(today, due)
        let count = countsCalendarDays ? start.calendarDays(through: through) : calendar.workingDays(from: start, through: through)
        return min(count, days)
    }
}

/// What the read model knows of an SPK when it judges it.
public struct SPKFigures: Sendable, Hashable {
    public var code: String
    public var status: SPKStatus
    public var targetQty: Int
    public var producedQty: Int
    public var rejectQty: Int
    public var startDate: LocalDate
    public var dueDate: LocalDate
    /// The newest production date with input (reversals do not count).
    public var lastInputDate: LocalDate?
    /// The stage before this one in the same order; nil for a first stage or a stand-alone SPK.
    public var previousStage: PreviousStage?

    public struct PreviousStage: Sendable, Hashable {
        public var code: String
        public var stage: Stage
        public var producedQty: Int
        public var status: SPKStatus
        public init(code: String, stage: Stage, producedQty: Int, status: SPKStatus) {
            self.code = code
            self.stage = stage
            self.producedQty = producedQty
            self.status = status
        }
    }

    public init(
        code: String, status: SPKStatus, targetQty: Int, producedQty: Int, rejectQty: Int, startDate: LocalDate,
        dueDate: LocalDate, lastInputDate: LocalDate? = nil, previousStage: PreviousStage? = nil
    ) {
        self.code = code
        self.status = status
        self.targetQty = targetQty
        self.producedQty = producedQty
        self.rejectQty = rejectQty
        self.startDate = startDate
        self.dueDate = dueDate
        self.lastInputDate = lastInputDate
        self.previousStage = previousStage
    }
}

/// An alert as the rules find it; the store adds which SPK.
public struct AlertFinding: Sendable, Hashable {
    public var type: AlertType
    public var severity: AlertSeverity
    public var since: LocalDate
    public var message: String
}

/// What the last assessment said, so "since when" survives re-assessment.
public struct PreviousAssessment: Sendable, Hashable {
    public var health: SPKHealth?
    public var healthSince: LocalDate?
    public var alertsSince: [AlertType: LocalDate]
    public init(health: SPKHealth? = nil, healthSince: LocalDate? = nil, alertsSince: [AlertType: LocalDate] = [:]) {
        self.health = health
        self.healthSince = healthSince
        self.alertsSince = alertsSince
    }
}

public struct Assessment: Sendable, Hashable {
    public var health: SPKHealth
    public var healthSince: LocalDate
    public var planned: Int
    public var reason: String
    public var alerts: [AlertFinding]
}

/// How an SPK stands on a given day, and what about it needs a planner's eye. Pure: no clock, no I/O.
public struct HealthRules: Sendable, Hashable {
    public var calendar: WorkingCalendar
    public var thresholds: HealthThresholds

    public init(calendar: WorkingCalendar = .mondayToFriday, thresholds: HealthThresholds = HealthThresholds()) {
        self.calendar = calendar
        self.thresholds = thresholds
    }

    /// Nil for a finished SPK (completed, cancelled, closed): it has no health and raises no alerts.
    public func assess(_ spk: SPKFigures, today: LocalDate, previous: PreviousAssessment = PreviousAssessment()) -> Assessment? {
        guard !spk.status.isFinal else { return nil }
        let window = PlanWindow(start: spk.startDate, due: spk.dueDate, calendar: calendar)
        let elapsed = window.elapsed(today: today, calendar: calendar)
        // planned = target × elapsed / days, compared in whole numbers so 95.0% is never 94.99…%.
        let plannedScaled = spk.targetQty * elapsed  // planned × days
        let planned = (2 * plannedScaled + window.days) / (2 * window.days)
        let actualScaled = spk.producedQty * window.days * 100
        let pastDue = spk.dueDate < today

        let health: SPKHealth
        let reason: String
        if pastDue {
            health = .offTrack
            reason = "past due since \(spk.dueDate.adding(days: 1)), actual \(spk.producedQty) of \(spk.targetQty)"
        } else {
            if actualScaled >= thresholds.onTrackPercent * plannedScaled {
                health = .onTrack
            } else if actualScaled >= thresholds.atRiskPercent * plannedScaled {
                health = .atRisk
            } else {
                health = .offTrack
            }
            if plannedScaled == 0 {
                reason = "starts \(spk.startDate), nothing planned yet, actual \(spk.producedQty)"
            } else {
                let percent = spk.producedQty * window.days * 100 / plannedScaled  // floor: 94.9% never shows as 95%
                reason = "planned \(planned) by \(min(today, spk.dueDate)), actual \(spk.producedQty) (\(percent)%)"
            }
        }
        let healthSince = previous.health == health ? (previous.healthSince ?? today) : today

        var alerts: [AlertFinding] = []
        func raise(_ type: AlertType, _ severity: AlertSeverity, since: LocalDate, _ message: String, sticky: Bool = false) {
            // A condition with no date of its own dates from when it was first seen.
            let since = sticky ? min(previous.alertsSince[type] ?? since, since) : since
            alerts.append(AlertFinding(type: type, severity: severity, since: since, message: message))
        }
        if pastDue {
            raise(
                .pastDue, .critical, since: spk.dueDate.adding(days: 1),
                "due \(spk.dueDate), still \(spk.status.rawValue) with \(spk.producedQty) of \(spk.targetQty)")
        } else if health == .offTrack {
            raise(.offTrack, .critical, since: healthSince, reason)
        } else if health == .atRisk {
            raise(.atRisk, .warning, since: healthSince, reason)
        }
        if let idle = noInput(spk, today: today) { raise(.noInput, .warning, since: idle.since, idle.message) }
        let handled = spk.producedQty + spk.rejectQty
        if handled > 0, spk.rejectQty * 100 > thresholds.rejectAlertPercent * handled {
            let rate = Double(spk.rejectQty * 1000 / handled) / 10
            raise(
                .highRejectRate, .warning, since: today,
                "reject rate \(rate)% (\(spk.rejectQty) of \(handled)) is above \(thresholds.rejectAlertPercent)%", sticky: true)
        }
        if let previousStage = spk.previousStage, spk.startDate <= today, !previousStage.status.isFinal,
            previousStage.producedQty - spk.producedQty <= 0
        {
            raise(
                .wipStarved, .warning, since: today,
                "no WIP from \(previousStage.stage.rawValue) \(previousStage.code): it produced \(previousStage.producedQty), this stage \(spk.producedQty)",
                sticky: true)
        }
        return Assessment(health: health, healthSince: healthSince, planned: planned, reason: reason, alerts: alerts)
    }

    /// In progress and nothing recorded for the set number of whole working days (today is not over, so it does not count).
    private func noInput(_ spk: SPKFigures, today: LocalDate) -> (since: LocalDate, message: String)? {
        guard spk.status == .inProgress else { return nil }
        let reference = spk.lastInputDate ?? spk.startDate.adding(days: -1)
        let idle = calendar.workingDays(from: reference.adding(days: 1), through: today.adding(days: -1))
        guard idle >= thresholds.noInputWorkingDays else { return nil }
        let last = spk.lastInputDate.map { "last input \($0)" } ?? "no input yet"
        return (calendar.nextWorkingDay(after: reference), "no input for \(idle) working days (\(last))")
    }
}
