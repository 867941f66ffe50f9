REM rmxl's spreadsheet functions in LibreOffice Calc, put here by "rmxl libreoffice install".
REM Each calls the rmxl extension (org.rmxl.calc.Functions), which asks rmxl's helper.
REM A workbook from rmxl build names them as Excel does: =RM_TOTAL(2022).

Private Function RmxlArg(Optional v As Variant) As Variant
    If IsMissing(v) Then
        RmxlArg = Empty
    Else
        RmxlArg = v
    End If
End Function

Private Function RmxlCall(name As String, args As Variant) As Variant
    Dim svc As Object, result As Variant, table As Variant, i As Long, j As Long, doc As Variant
    On Error GoTo Failed
    svc = createUnoService("org.rmxl.calc.Functions")
    If IsNull(svc) Then
        RmxlCall = "rmxl: the extension is missing; run rmxl libreoffice install"
        Exit Function
    End If
    doc = ThisComponent
    result = svc.call(doc, name, args)
    If IsArray(result) Then
        ReDim table(0 To UBound(result), 0 To UBound(result(0)))
        For i = 0 To UBound(result)
            For j = 0 To UBound(result(i))
                table(i, j) = result(i)(j)
            Next j
        Next i
        RmxlCall = table
    Else
        RmxlCall = result
    End If
    Exit Function
Failed:
    RmxlCall = "rmxl: " & Error$
End Function

Function RM_SHARE(Optional dimension, Optional bucket, Optional period, Optional measure)
    RM_SHARE = RmxlCall("RM_SHARE", Array(RmxlArg(dimension), RmxlArg(bucket), RmxlArg(period), RmxlArg(measure)))
End Function

Function RM_TOTAL(Optional period, Optional measure, Optional dimension, Optional bucket)
    RM_TOTAL = RmxlCall("RM_TOTAL", Array(RmxlArg(period), RmxlArg(measure), RmxlArg(dimension), RmxlArg(bucket)))
End Function

Function RM_BREAKDOWN(Optional dimension, Optional period, Optional measure)
    RM_BREAKDOWN = RmxlCall("RM_BREAKDOWN", Array(RmxlArg(dimension), RmxlArg(period), RmxlArg(measure)))
End Function

Function RM_TOP(Optional n, Optional period, Optional measure)
    RM_TOP = RmxlCall("RM_TOP", Array(RmxlArg(n), RmxlArg(period), RmxlArg(measure)))
End Function

Function RM_INFO(Optional field)
    RM_INFO = RmxlCall("RM_INFO", Array(RmxlArg(field)))
End Function
