import PPIC
import ServiceKit
import Testing

@Suite("PPIC settings")
struct PPICSettingsTests {
    @Test("defaults: Monday to Friday, 95/80%, 5% rejects, 2 idle days, Jakarta")
    func defaults() throws {
        let settings = try PPICSettings(environment: EnvironmentReader([:]))
        #expect(settings.rules == HealthRules())
        #expect(settings.timeZone.identifier == "Asia/Jakarta")
        #expect(settings.approvalWarning == .seconds(24 * 3600))
    }

    @Test("reads every setting, and says which one is wrong")
    func reading() throws {
        let settings = try PPICSettings(
            environment: EnvironmentReader([
                "STITCH_WORKING_DAYS": "MON,TUE,WED,THU,FRI,SAT", "STITCH_HEALTH_ON_TRACK_PERCENT": "90",
                "STITCH_HEALTH_AT_RISK_PERCENT": "70", "STITCH_REJECT_ALERT_PERCENT": "3", "STITCH_NO_INPUT_WORKING_DAYS": "1",
                "STITCH_FACTORY_TIMEZONE": "Asia/Makassar",
            ]))
        #expect(settings.rules.calendar.description == "MON,TUE,WED,THU,FRI,SAT")
        #expect(
            settings.rules.thresholds
                == HealthThresholds(
                    onTrackPercent: 90, atRiskPercent: 70, rejectAlertPercent: 3,
                    noInputWorkingDays: 1))
        #expect(settings.timeZone.identifier == "Asia/Makassar")
        #expect(throws: ConfigurationError.self) { try PPICSettings(environment: EnvironmentReader(["STITCH_WORKING_DAYS": "MON,XYZ"])) }
        #expect(throws: ConfigurationError.self) {
            try PPICSettings(environment: EnvironmentReader(["STITCH_HEALTH_AT_RISK_PERCENT": "96"]))
        }
    }
}
