module github.com/kycgate/kycgate

go 1.26.8
