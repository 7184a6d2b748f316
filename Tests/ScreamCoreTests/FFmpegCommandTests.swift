import Testing
@testable import ScreamCore

@Suite struct FFmpegCommandTests {
    /// The classic preset's expression, written out from the design §3 table: each tonal layer
    /// adds `amplitude * envelope * sin(2π·phase)` and then advances its phase slot by
    /// `frequency / 48000`, wrapping at 1; each jump is `mod(sin((step*coprime+seed)*12.9898)*43758.5453,1)`.
    @Test func classicExpressionSpellsOutTheFiveLayers() {
        let hash = { (step: String, coprime: Int, seed: Int) in
            "mod(sin((floor(ld(3)*\(step))*\(coprime)+\(seed))*12.9898)*43758.5453,1)"
        }
        let expected = [
            "st(3,n/48000)",
            "st(4,0.4*(1+1.2*ld(3))*sin(2*PI*ld(0)))",
            "st(0,ld(0)+(500+1500*\(hash("10", 137, 4242)))/48000)",
            "st(0,ld(0)-gte(ld(0),1))",
            "st(4,ld(4)+0.25*sin(2*PI*ld(1)))",
            "st(1,ld(1)+(350+500*ld(3)+800*\(hash("6", 251, 3000)))/48000)",
            "st(1,ld(1)-gte(ld(1),1))",
            "st(4,ld(4)+0.25*(1+2.5*ld(3))*sin(2*PI*ld(2)))",
            "st(2,ld(2)+(1200+1600*\(hash("20", 89, 7000)))/48000)",
            "st(2,ld(2)-gte(ld(2),1))",
            "st(4,ld(4)+gt(\(hash("8", 173, 4000)),0.7)*0.18*(2*mod(sin(n*78.233+4000)*43758.5453,1)-1))",
            "clip(ld(4)+0.1*(2*mod(sin(n*39.3468+4000)*43758.5453,1)-1),-1,1)",
        ].joined(separator: ";")
        #expect(FFmpegCommand(params: Preset.classic.params).expression == expected)
    }

    @Test func classicFilterChainCarriesThePresetValues() {
        let expected = [
            "highpass=f=120:p=1",
            "lowpass=f=8000:p=1",
            "acrusher=bits=8:mix=0.5:aa=0.001",
            "acompressor=threshold=0.1:ratio=8:attack=5:release=50:knee=1:detection=peak",
            "volume=volume=9dB:precision=double",
            "alimiter=limit=0.95:attack=0.1:level=0",
            "pan=stereo|c0=c0|c1=c0",
            "atrim=end_sample=144000",
        ].joined(separator: ",")
        #expect(FFmpegCommand(params: Preset.classic.params).filterChain == expected)
    }

    /// acrusher's `mix` is the dry share (its output is `crushed + (in - crushed) * mix`).
    @Test func crusherMixIsPassedAsTheDryShare() {
        let chain = FFmpegCommand(params: Preset.whisper.params).filterChain
        #expect(chain.contains(",acrusher=bits=12:mix=0.8:aa=0.001,"))
    }

    @Test func argumentsAreAnArgvArrayWritingS16leToStdout() {
        let command = FFmpegCommand(params: Preset.whisper.params)
        #expect(command.arguments == [
            "-hide_banner", "-nostdin", "-loglevel", "error",
            "-f", "lavfi", "-i", "aevalsrc=exprs='\(command.expression)':s=48000:c=mono",
            "-af", command.filterChain,
            "-f", "s16le", "-c:a", "pcm_s16le", "-ar", "48000", "-ac", "2", "pipe:1",
        ])
    }

    @Test func monoOutputNeedsNoPan() {
        var params = Preset.robot.params
        params.channels = 1
        params.sampleRate = 16_000
        let command = FFmpegCommand(params: params)
        #expect(!command.filterChain.contains("pan="))
        #expect(command.filterChain.hasSuffix(",atrim=end_sample=48000"))
        #expect(command.expression.hasPrefix("st(3,n/16000);"))
        #expect(command.arguments.suffix(5) == ["-ar", "16000", "-ac", "1", "pipe:1"])
    }

    /// With global seed 1 the primary seed is 4242 ^ 1000003 = 1004241, folded mod 1000003 to 4238;
    /// the burst seed is 4000 ^ 1000081 = 1002801, folded to 2798.
    @Test func globalSeedIsMixedIntoTheLayerSeeds() {
        var params = Preset.classic.params
        params.seed = 1
        let expression = FFmpegCommand(params: params).expression
        #expect(expression.contains("*137+4238)"))
        #expect(expression.contains("*173+2798)"))
        #expect(expression.contains("sin(n*78.233+2798)"))
        #expect(!expression.contains("4242"))
    }

    @Test func userVolumeLowersTheBoostInDecibels() {
        let half = FFmpegCommand(params: Preset.classic.params.applyingVolume(0.1))
        #expect(half.filterChain.contains("volume=volume=-11dB:"))
    }

    @Test func outOfRangeFilterValuesAreClampedToWhatFFmpegAccepts() {
        var params = Preset.classic.params
        params.filter.compThreshold = -80
        params.filter.compRatio = 30
        params.filter.limiterLevel = 0.01
        let chain = FFmpegCommand(params: params).filterChain
        #expect(chain.contains("threshold=0.000976563:ratio=20:"))
        #expect(chain.contains("alimiter=limit=0.0625:"))
    }

    @Test func numbersAreFormattedWithoutLocaleOrNeedlessFractions() {
        #expect(FFmpegCommand.number(500) == "500")
        #expect(FFmpegCommand.number(-20) == "-20")
        #expect(FFmpegCommand.number(0.1) == "0.1")
        #expect(FFmpegCommand.number(-0.0) == "0")
        #expect(FFmpegCommand.number(0.00001) == "1e-05")
        #expect(FFmpegCommand.number(2.5e20) == "2.5e+20")
    }

    @Test func commandLineQuotesOnlyWhatAShellWouldInterpret() {
        #expect(FFmpegCommand.shellQuoted("-c:a") == "-c:a")
        #expect(FFmpegCommand.shellQuoted("/usr/bin/ffmpeg") == "/usr/bin/ffmpeg")
        #expect(FFmpegCommand.shellQuoted("pan=stereo|c0=c0") == "'pan=stereo|c0=c0'")
        #expect(FFmpegCommand.shellQuoted("a='b c'") == #"'a='\''b c'\'''"#)
        #expect(FFmpegCommand.shellQuoted("") == "''")
        let line = FFmpegCommand(params: Preset.glitch.params).commandLine(executable: "/opt/ffmpeg")
        #expect(line.hasPrefix("/opt/ffmpeg -hide_banner -nostdin -loglevel error -f lavfi -i 'aevalsrc=exprs='\\''st(3,n/48000);"))
        #expect(line.hasSuffix(" -f s16le -c:a pcm_s16le -ar 48000 -ac 2 pipe:1"))
    }
}
